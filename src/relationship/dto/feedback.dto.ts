import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Length,
} from 'class-validator';
import { IsOneLine } from '../../common/validation/is-one-line.decorator';
import { PageQuery } from '../../common/pagination/page';
import { IsSkillName } from '../../skill/is-skill-name.decorator';
import { Stage, STAGES } from '../candidacy-stages';
import { FEEDBACK_CHANNELS, FeedbackChannel } from '../feedback-policy';
import { IsIsoDateTime, IsIsoInstant } from '../../common/validation/is-iso-date-time.decorator';
import { trim } from '../../common/validation/transforms';


/** Feedback actually given to the candidate. */
export class GiveFeedbackDto {
  /** `email` sends the stage's feedback email now, with `summary` as the personal text. */
  @ApiProperty({ enum: FEEDBACK_CHANNELS })
  @IsIn(FEEDBACK_CHANNELS)
  channel: FeedbackChannel;

  /**
   * What the candidate was told, as they heard it: it is part of their
   * record and may be shown to them. No internal notes or comparisons.
   */
  @Transform(trim) @IsString() @Length(1, 1000)
  summary: string;

  /** The gap as skills, as it was explained to the candidate. */
  @IsOptional() @IsArray() @ArrayMaxSize(10) @IsSkillName({ each: true })
  gapSkills?: string[];

  /** The name of the person who gave the feedback; signs the email. */
  @Transform(trim) @IsString() @Length(1, 200) @IsOneLine()
  givenBy: string;

  /** When it was given (a call earlier today); now when left out. Not for email, which is given when it is sent. */
  @IsOptional() @IsIsoInstant()
  givenAt?: string;

  /** The stage the feedback is about; the candidacy's current stage when left out. */
  @ApiPropertyOptional({ enum: STAGES })
  @IsOptional() @IsIn(STAGES)
  stage?: Stage;

  /** After a call, video or meeting: queue the short written summary. The stage's policy decides when left out. */
  @IsOptional() @IsBoolean()
  writtenFollowUp?: boolean;
}

export const DUE_STATES = ['overdue', 'due-soon', 'upcoming', 'open'] as const;
export type DueState = (typeof DUE_STATES)[number];

export class ListDueQuery extends PageQuery {
  /**
   * As each item's `state`: `overdue` (past the deadline), `due-soon` (deadline within the policy's
   * dueSoonBusinessDays), `upcoming` (later); `open` (default): all three, everything not given yet.
   */
  @ApiPropertyOptional({ enum: DUE_STATES })
  @IsOptional() @IsIn(DUE_STATES)
  state?: DueState;

  @IsOptional() @IsUUID('all', { message: 'vacancyId must be a UUID' })
  vacancyId?: string;

  /** Items this person owes (the hiring manager's or recruiter's email, case-insensitive). */
  @IsOptional() @IsString() @Length(3, 254)
  ownerEmail?: string;
}

export class FeedbackStatsQuery {
  /** Decisions made at or after this date or time; 90 days ago when left out. */
  @IsOptional() @IsIsoDateTime({ message: 'from must be an ISO 8601 date or date-time' })
  from?: string;

  /** Decisions made before this date or time; now when left out. */
  @IsOptional() @IsIsoDateTime({ message: 'to must be an ISO 8601 date or date-time' })
  to?: string;

  @IsOptional() @IsUUID('all', { message: 'vacancyId must be a UUID' })
  vacancyId?: string;
}
