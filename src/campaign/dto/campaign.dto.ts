import { Transform } from 'class-transformer';
import { trim } from '../../common/validation/transforms';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  ValidateNested,
} from 'class-validator';
import { IsOneLine } from '../../common/validation/is-one-line.decorator';
import { CANDIDATE_STATUSES, CandidateStatus } from '../../candidate/candidate.entity';
import { PageQuery } from '../../common/pagination/page';
import { IsIsoDuration } from '../../common/validation/is-iso-duration.decorator';
import { CAMPAIGN_STATUSES, CampaignStatus } from '../campaign.entity';
import { CAMPAIGN_TEMPLATE_KEYS } from '../campaign-templates';
import { IsCountryCode } from '../../common/validation/is-country-code.decorator';
import { IsPresentIfGiven } from '../../common/validation/is-present-if-given.decorator';

export const MAX_STEPS = 20;

/** The pool search filters; the audience is everyone who matches all of them and may get nurture email. */
export class CampaignAudienceDto {
  /** Skills in any spelling or alias. */
  @IsOptional() @IsArray() @ArrayMaxSize(20) @IsString({ each: true }) @Length(1, 80, { each: true })
  skills?: string[];

  /** `any` (default): at least one of the skills; `all`: every one. */
  @IsOptional() @IsIn(['any', 'all'])
  match?: 'any' | 'all';

  /** A candidate must carry every tag. */
  @IsOptional() @IsArray() @ArrayMaxSize(20) @IsString({ each: true }) @Length(1, 50, { each: true })
  tags?: string[];

  @IsOptional() @IsCountryCode()
  country?: string;

  @IsOptional() @IsString() @Length(1, 100)
  city?: string;

  @IsOptional() @IsIn(CANDIDATE_STATUSES)
  status?: CandidateStatus;

  /** true: only people holding a silver medal from some process; false: only those without. */
  @IsOptional() @IsBoolean()
  silverMedalist?: boolean;

  /** A vacancy id: only the people who reached its final (or an offer). */
  @IsOptional() @IsUUID('all', { message: 'finalistOf must be a UUID' })
  finalistOf?: string;

  /** ISO-8601 duration: only people no email was sent to within it, e.g. P90D. */
  @IsOptional() @IsIsoDuration({ message: 'notContactedFor must be an ISO-8601 duration in whole numbers such as P90D, at most 100 years' })
  notContactedFor?: string;
}

export class CampaignStepDto {
  @ApiProperty({ enum: CAMPAIGN_TEMPLATE_KEYS })
  @IsIn(CAMPAIGN_TEMPLATE_KEYS, {
    message: `templateKey must be a template a campaign can send: ${CAMPAIGN_TEMPLATE_KEYS.join(', ')}`,
  })
  templateKey: string;

  /** ISO-8601 duration after enrollment (first step) or after the previous step, e.g. P14D or PT12H. */
  @ApiProperty({ example: 'P14D' })
  @IsIsoDuration({ message: 'delay must be an ISO-8601 duration in whole numbers such as P14D or PT12H, at most 100 years' })
  delay: string;
}

export class CreateCampaignDto {
  @Transform(trim) @IsString() @Length(1, 200) @IsOneLine()
  name: string;

  @IsOptional() @IsObject() @ValidateNested() @Type(() => CampaignAudienceDto)
  audience?: CampaignAudienceDto;

  /** In the order they are sent. */
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(MAX_STEPS) @IsObject({ each: true }) @ValidateNested({ each: true }) @Type(() => CampaignStepDto)
  steps: CampaignStepDto[];
}

/** Steps and audience can change while the campaign is draft or paused; status follows the allowed transitions. */
export class UpdateCampaignDto {
  @IsPresentIfGiven() @Transform(trim) @IsString() @Length(1, 200) @IsOneLine()
  name?: string;

  /** Replaces the whole audience; null is refused. */
  @IsPresentIfGiven() @IsObject() @ValidateNested() @Type(() => CampaignAudienceDto)
  audience?: CampaignAudienceDto;

  /** Replaces every step; null is refused. */
  @IsPresentIfGiven() @IsArray() @ArrayMinSize(1) @ArrayMaxSize(MAX_STEPS) @IsObject({ each: true }) @ValidateNested({ each: true }) @Type(() => CampaignStepDto)
  steps?: CampaignStepDto[];

  @ApiPropertyOptional({ enum: CAMPAIGN_STATUSES })
  @IsPresentIfGiven() @IsIn(CAMPAIGN_STATUSES)
  status?: CampaignStatus;
}

export class ListCampaignsQuery extends PageQuery {
  @IsOptional() @IsIn(CAMPAIGN_STATUSES)
  status?: CampaignStatus;
}
