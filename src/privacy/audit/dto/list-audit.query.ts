import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID, Matches } from 'class-validator';
import { PageQuery } from '../../../common/pagination/page';
import { AUDIT_ACTIONS, AuditAction } from '../audit-actions';
import { IsIsoDateTime } from '../../../common/validation/is-iso-date-time.decorator';

export class ListAuditQuery extends PageQuery {
  @IsOptional() @IsUUID('all', { message: 'candidateId must be a UUID' })
  candidateId?: string;

  /** An API key id, or `candidate` (their own links) or `system` (scheduled jobs). */
  @ApiPropertyOptional({ description: 'API key id, `candidate` or `system`' })
  @IsOptional()
  @Matches(/^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|candidate|system)$/i, {
    message: 'actor must be an API key id, "candidate" or "system"',
  })
  actor?: string;

  @ApiPropertyOptional({ enum: AUDIT_ACTIONS })
  @IsOptional() @IsIn(AUDIT_ACTIONS)
  action?: AuditAction;

  /** Entries at or after this time. */
  @IsOptional() @IsIsoDateTime({ message: 'from must be an ISO 8601 date or date-time' })
  from?: string;

  /** Entries before this time. */
  @IsOptional() @IsIsoDateTime({ message: 'to must be an ISO 8601 date or date-time' })
  to?: string;
}
