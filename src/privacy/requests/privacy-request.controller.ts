import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiNotFoundResponse, ApiTags } from '@nestjs/swagger';
import { ApiKeyAuth, CurrentPrincipal, Principal, RequireRole } from '../../common/auth/roles';
import { UuidParam } from '../../common/validation/uuid-param';
import { CreatePrivacyRequestDto, ListPrivacyRequestsQuery, UpdatePrivacyRequestDto } from './dto/privacy-request.dto';
import { PrivacyRequestService } from './privacy-request.service';

@ApiTags('privacy')
@ApiKeyAuth()
@RequireRole('admin')
@Controller('api/v1/privacy-requests')
export class PrivacyRequestController {
  constructor(private readonly requests: PrivacyRequestService) {}

  /** Logs a data-subject request (access, erasure, rectification); the deadline is one month from receipt. */
  @Post()
  @ApiNotFoundResponse({ description: 'No such candidate' })
  @ApiConflictResponse({ description: 'PrivacyRequestExists: the person has an open request of this kind; `existingId` names it' })
  create(@Body() dto: CreatePrivacyRequestDto, @CurrentPrincipal() principal: Principal) {
    return this.requests.create(dto, principal);
  }

  /** Earliest deadline first; `overdue=true` lists open requests past their deadline. */
  @Get()
  list(@Query() query: ListPrivacyRequestsQuery) {
    return this.requests.list(query);
  }

  @Get(':id')
  @ApiNotFoundResponse({ description: 'No such privacy request' })
  get(@Param('id', UuidParam()) id: string) {
    return this.requests.get(id);
  }

  /** Moves it along (in_progress, done, rejected) or adds notes; records who handled it. */
  @Patch(':id')
  @ApiNotFoundResponse({ description: 'No such privacy request' })
  @ApiConflictResponse({ description: 'Already done or rejected (`PrivacyRequestClosed`), or an erasure marked done while the person is still in the pool (`ErasureNotDone`)' })
  update(@Param('id', UuidParam()) id: string, @Body() dto: UpdatePrivacyRequestDto, @CurrentPrincipal() principal: Principal) {
    return this.requests.update(id, dto, principal);
  }
}
