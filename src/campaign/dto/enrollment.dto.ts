import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { PageQuery } from '../../common/pagination/page';
import { ENROLLMENT_STATUSES, EnrollmentStatus } from '../enrollment.entity';

export class EnrollCandidateDto {
  @IsUUID('all', { message: 'candidateId must be a UUID' })
  candidateId: string;
}

export class ListEnrollmentsQuery extends PageQuery {
  @IsOptional() @IsIn(ENROLLMENT_STATUSES)
  status?: EnrollmentStatus;
}
