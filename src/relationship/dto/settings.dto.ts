import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsUUID,
  Matches,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import {
  FEEDBACK_CHANNELS,
  FEEDBACK_EMAIL_TEMPLATES,
  FEEDBACK_OWNERS,
  FeedbackChannel,
  FeedbackEmailTemplate,
  FeedbackOwner,
  FeedbackPolicy,
  FeedbackRung,
} from '../feedback-policy';
import { IsIsoDateTime } from '../../common/validation/is-iso-date-time.decorator';

export class FeedbackRungDto implements FeedbackRung {
  /** false: rejecting someone at this stage owes no feedback (no deadline is created). */
  @IsBoolean()
  owed: boolean;

  @ApiProperty({ enum: FEEDBACK_CHANNELS })
  @IsIn(FEEDBACK_CHANNELS)
  channel: FeedbackChannel;

  /** Business days after the day of the decision; 0 means the same business day. */
  @IsInt() @Min(0) @Max(30)
  withinBusinessDays: number;

  /** Feedback given by phone, video or in person queues a short written summary email. */
  @IsBoolean()
  writtenFollowUp: boolean;

  /** Whose digest the item appears in; `recruiter` falls back to the hiring manager when a vacancy has no recruiter. */
  @ApiProperty({ enum: FEEDBACK_OWNERS })
  @IsIn(FEEDBACK_OWNERS)
  owner: FeedbackOwner;

  /** The template that feedback given by email at this stage is sent with. */
  @ApiProperty({ enum: FEEDBACK_EMAIL_TEMPLATES })
  @IsIn(FEEDBACK_EMAIL_TEMPLATES)
  emailTemplate: FeedbackEmailTemplate;
}

/** One rung per stage the candidate is rejected at. */
export class RejectionLadderDto {
  @IsObject() @ValidateNested() @Type(() => FeedbackRungDto) applied: FeedbackRungDto;
  @IsObject() @ValidateNested() @Type(() => FeedbackRungDto) screening: FeedbackRungDto;
  @IsObject() @ValidateNested() @Type(() => FeedbackRungDto) interview: FeedbackRungDto;
  @IsObject() @ValidateNested() @Type(() => FeedbackRungDto) final: FeedbackRungDto;
  @IsObject() @ValidateNested() @Type(() => FeedbackRungDto) offer: FeedbackRungDto;
}

export class ConfirmationDto {
  /** A new candidacy at `applied` queues the warm confirmation (application_received) at once. */
  @IsBoolean()
  enabled: boolean;
}

/** The whole policy; PUT replaces it. Deadlines already set keep their dates. */
export class FeedbackPolicyDto implements FeedbackPolicy {
  @IsObject() @ValidateNested() @Type(() => ConfirmationDto)
  confirmation: ConfirmationDto;

  @IsObject() @ValidateNested() @Type(() => RejectionLadderDto)
  rejection: RejectionLadderDto;

  /** Dates (YYYY-MM-DD) that are not business days, in the organisation's time zone (DEFAULT_TIME_ZONE). */
  @ApiProperty({ example: ['2026-12-24', '2026-12-25'] })
  @IsArray() @ArrayMaxSize(400)
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { each: true, message: 'each public holiday must be a date such as 2026-12-25' })
  @IsIsoDateTime({ each: true, message: 'each public holiday must be a date such as 2026-12-25' })
  publicHolidays: string[];

  /** Open items due within this many business days are "due soon" (listing and digest). */
  @IsInt() @Min(0) @Max(10)
  dueSoonBusinessDays: number;
}

export class SilverMedalistCampaignDto {
  /** The campaign silver and bronze medalists with consent are enrolled in; null for none. */
  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  @ValidateIf((dto: SilverMedalistCampaignDto) => dto.campaignId !== null)
  @IsUUID('all', { message: 'campaignId must be a UUID or null' })
  campaignId: string | null;
}
