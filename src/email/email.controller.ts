import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiTags } from '@nestjs/swagger';
import { ApiKeyAuth } from '../common/auth/roles';
import { UuidParam } from '../common/validation/uuid-param';
import { ListEmailsQuery } from './dto/list-emails.query';
import { EmailQueryService } from './email-query.service';

@ApiTags('emails')
@ApiKeyAuth()
@Controller('api/v1/emails')
export class EmailController {
  constructor(private readonly emails: EmailQueryService) {}

  /** The outbox, newest first; `status=uncertain` lists what needs review after a crash. */
  @Get()
  list(@Query() query: ListEmailsQuery) {
    return this.emails.list(query);
  }

  /** One email as rendered: subject, HTML and text bodies, headers, delivery state. */
  @Get(':id')
  @ApiNotFoundResponse({ description: 'No such email' })
  get(@Param('id', UuidParam()) id: string) {
    return this.emails.get(id);
  }
}
