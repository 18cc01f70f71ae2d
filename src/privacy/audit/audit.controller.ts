import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiKeyAuth, RequireRole } from '../../common/auth/roles';
import { AuditLog } from './audit-log.service';
import { ListAuditQuery } from './dto/list-audit.query';

@ApiTags('privacy')
@ApiKeyAuth()
@RequireRole('admin')
@Controller('api/v1/audit')
export class AuditController {
  constructor(private readonly audit: AuditLog) {}

  /**
   * The audit trail, newest first: who (API key and role, the candidate,
   * or the system) read, exported, changed or erased a candidate, and every
   * consent event, with the request id. Entries hold no personal data.
   */
  @Get()
  list(@Query() query: ListAuditQuery) {
    return this.audit.list(query);
  }
}
