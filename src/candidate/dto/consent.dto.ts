import { Transform } from 'class-transformer';
import { trim } from '../../common/validation/transforms';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { CONSENT_SCOPES, CONSENT_SOURCES, ConsentScope, ConsentSource } from '../consent.entity';
import { IsIsoDateTime } from '../../common/validation/is-iso-date-time.decorator';

export class RecordConsentDto {
  @IsIn(CONSENT_SCOPES)
  scope: ConsentScope;

  /** Which version of the consent text the candidate agreed to, e.g. "2026-01". */
  @Transform(trim) @IsString() @Length(1, 50)
  textVersion: string;

  @IsIn(CONSENT_SOURCES.filter((source) => source !== 'email_link'))
  source: Exclude<ConsentSource, 'email_link'>;

  /** When the candidate gave consent; defaults to now and cannot be in the future. */
  @IsOptional() @IsIsoDateTime()
  grantedAt?: string;

  /** Defaults to grantedAt + CONSENT_VALIDITY_MONTHS. */
  @IsOptional() @IsIsoDateTime()
  expiresAt?: string;
}

export class WithdrawConsentDto {
  @IsIn(CONSENT_SCOPES)
  scope: ConsentScope;
}
