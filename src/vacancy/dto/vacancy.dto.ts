import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { PageQuery } from '../../common/pagination/page';
import { IsSkillName } from '../../skill/is-skill-name.decorator';
import { SENIORITIES, Seniority, VACANCY_STATUSES, VacancyStatus } from '../vacancy-status';
import { IsIsoDateTime } from '../../common/validation/is-iso-date-time.decorator';
import { IsPresentIfGiven } from '../../common/validation/is-present-if-given.decorator';
import { emailAddress, trim } from '../../common/validation/transforms';
import { HasVisibleText } from '../../common/validation/has-visible-text.decorator';
import { IsOneLine } from '../../common/validation/is-one-line.decorator';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** A person on the hiring side; the address receives the feedback digest. */
export class ContactDto {
  @Transform(trim) @IsString() @Length(1, 200) @IsOneLine()
  name: string;

  @Transform(emailAddress) @IsEmail({}, { message: 'email must be an email address' }) @MaxLength(254)
  email: string;
}

export class CriterionSkillDto {
  /** Any spelling or alias; stored under the canonical name. */
  @IsSkillName()
  name: string;

  /** 1 (nice to have) to 5 (decisive); 3 when left out. */
  @IsOptional() @IsInt() @Min(1) @Max(5)
  weight?: number;

  @IsOptional() @IsBoolean()
  required?: boolean;
}

/** What the vacancy asks for; rejection reasons refer to these criteria. */
export class CriteriaDto {
  @IsOptional() @IsArray() @ArrayMaxSize(50) @IsObject({ each: true }) @ValidateNested({ each: true }) @Type(() => CriterionSkillDto)
  skills?: CriterionSkillDto[];

  @ApiPropertyOptional({ enum: SENIORITIES })
  @IsOptional() @IsIn(SENIORITIES)
  seniority?: Seniority | null;
}

class VacancyFields {
  @IsOptional() @Transform(trim) @IsString() @Length(1, 100) @IsOneLine()
  team?: string | null;

  @IsOptional() @Transform(trim) @IsString() @Length(1, 200) @IsOneLine()
  location?: string | null;

  @IsOptional() @IsString() @MaxLength(20000)
  description?: string | null;

  /**
   * Recruiter for this vacancy; screening feedback is theirs to give (the hiring manager's when absent). Candidates'
   * replies to the emails about this vacancy (confirmation, feedback, invitation) reach them: the Reply-To is whoever
   * is recruiter when each email is sent.
   */
  @IsOptional() @IsObject() @ValidateNested() @Type(() => ContactDto)
  recruiter?: ContactDto | null;

  /** Replaces all criteria (skills and seniority) when given; null is refused. */
  @IsPresentIfGiven() @IsObject() @ValidateNested() @Type(() => CriteriaDto)
  criteria?: CriteriaDto;

  /** YYYY-MM-DD. The date applicants are told they will hear from us by; an open vacancy needs one. */
  @IsOptional() @Matches(DATE_ONLY, { message: 'expectedDecisionDate must be a date such as 2026-04-15' })
  @IsIsoDateTime({ message: 'expectedDecisionDate must be a date such as 2026-04-15' })
  expectedDecisionDate?: string | null;
}

export class CreateVacancyDto extends VacancyFields {
  @Transform(trim) @IsString() @Length(1, 200) @IsOneLine() @HasVisibleText()
  title: string;

  /** Gets the feedback digest, and the candidates' replies about this vacancy when it has no recruiter. */
  @IsObject() @ValidateNested() @Type(() => ContactDto)
  hiringManager: ContactDto;

  /** `draft` (default) or `open`. */
  @ApiPropertyOptional({ enum: ['draft', 'open'] })
  @IsOptional() @IsIn(['draft', 'open'])
  status?: 'draft' | 'open';
}

/** Any field; `status: open` opens a draft. Filling and cancelling go through POST /vacancies/:id/close. */
export class UpdateVacancyDto extends VacancyFields {
  @IsPresentIfGiven() @Transform(trim) @IsString() @Length(1, 200) @IsOneLine() @HasVisibleText()
  title?: string;

  /** Gets the feedback digest, and the candidates' replies about this vacancy when it has no recruiter. */
  @IsPresentIfGiven() @IsObject() @ValidateNested() @Type(() => ContactDto)
  hiringManager?: ContactDto;

  @ApiPropertyOptional({ enum: ['open'] })
  @IsPresentIfGiven() @IsIn(['open'], { message: 'status can only be set to open here; use POST /api/v1/vacancies/{id}/close to fill or cancel' })
  status?: 'open';
}

export class ListVacanciesQuery extends PageQuery {
  @ApiPropertyOptional({ enum: VACANCY_STATUSES })
  @IsOptional() @IsIn(VACANCY_STATUSES)
  status?: VacancyStatus;

  /** Case-insensitive. */
  @IsOptional() @Transform(trim) @IsString() @Length(1, 100)
  team?: string;

  /** Vacancies with this skill among their criteria (any spelling or alias). */
  @IsOptional() @IsSkillName()
  skill?: string;

  /** Text in the title. */
  @IsOptional() @IsString() @Length(2, 100)
  q?: string;
}
