import { Body, Controller, Param, Post } from '@nestjs/common';
import { ApiNotFoundResponse, ApiTags } from '@nestjs/swagger';
import { ApiKeyAuth, CurrentPrincipal, Principal } from '../common/auth/roles';
import { UuidParam } from '../common/validation/uuid-param';
import { RecordReplyDto } from './dto/record-reply.dto';
import { ReplyService } from './reply.service';

@ApiTags('candidates')
@ApiKeyAuth()
@Controller('api/v1/candidates/:id/replies')
export class CandidateReplyController {
  constructor(private readonly replies: ReplyService) {}

  /** Records an inbound reply; the candidate leaves every nurture sequence they were in when it arrived. */
  @Post()
  @ApiNotFoundResponse({ description: 'No such candidate' })
  record(@Param('id', UuidParam()) id: string, @Body() dto: RecordReplyDto, @CurrentPrincipal() principal: Principal) {
    return this.replies.record(id, dto, principal);
  }
}
