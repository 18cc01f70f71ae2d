import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { PageQuery } from '../../../common/pagination/page';
import { IsIsoDateTime } from '../../../common/validation/is-iso-date-time.decorator';
import { trim } from '../../../common/validation/transforms';

export const PRIVACY_REQUEST_KINDS = ['access', 'erasure', 'rectification'] as const;
export type PrivacyRequestKind = (typeof PRIVACY_REQUEST_KINDS)[number];
export const PRIVACY_REQUEST_STATUSES = ['open', 'in_progress', 'done', 'rejected'] as const;
export type PrivacyRequestStatus = (typeof PRIVACY_REQUEST_STATUSES)[number];


export class CreatePrivacyRequestDto {
  @ApiProperty({ enum: PRIVACY_REQUEST_KINDS })
  @IsIn(PRIVACY_REQUEST_KINDS)
  kind: PrivacyRequestKind;

  /** The person the request is about, when they are in the pool. */
  @IsOptional() @IsUUID('all', { message: 'candidateId must be a UUID' })
  candidateId?: string;

  /** When the request reached us (the one-month deadline counts from it); now when left out, never in the future. */
  @IsOptional() @IsIsoDateTime({ message: 'receivedAt must be an ISO 8601 date-time' })
  receivedAt?: string;

  /** How it arrived and what was asked; no more personal data than needed. Removed when the person is erased. */
  @IsOptional() @Transform(trim) @IsString() @Length(1, 2000)
  notes?: string;
}

export class UpdatePrivacyRequestDto {
  @ApiPropertyOptional({ enum: PRIVACY_REQUEST_STATUSES })
  @IsOptional() @IsIn(PRIVACY_REQUEST_STATUSES)
  status?: PrivacyRequestStatus;

  @IsOptional() @Transform(trim) @IsString() @Length(1, 2000)
  notes?: string;
}

export class ListPrivacyRequestsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: PRIVACY_REQUEST_STATUSES })
  @IsOptional() @IsIn(PRIVACY_REQUEST_STATUSES)
  status?: PrivacyRequestStatus;

  @ApiPropertyOptional({ enum: PRIVACY_REQUEST_KINDS })
  @IsOptional() @IsIn(PRIVACY_REQUEST_KINDS)
  kind?: PrivacyRequestKind;

  @IsOptional() @IsUUID('all', { message: 'candidateId must be a UUID' })
  candidateId?: string;

  /** `true`: only open requests past their deadline. */
  @ApiPropertyOptional({ enum: ['true', 'false'] })
  @IsOptional() @IsIn(['true', 'false'])
  overdue?: 'true' | 'false';
}
