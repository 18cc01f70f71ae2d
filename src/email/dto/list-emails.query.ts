import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { PageQuery } from '../../common/pagination/page';
import { EMAIL_STATUSES, EmailStatus } from '../email.entity';

export class ListEmailsQuery extends PageQuery {
  @IsOptional() @IsUUID('all', { message: 'candidateId must be a UUID' })
  candidateId?: string;

  @IsOptional() @IsIn(EMAIL_STATUSES)
  status?: EmailStatus;
}
