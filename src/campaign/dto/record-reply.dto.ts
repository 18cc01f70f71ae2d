import { IsIn, IsISO8601, IsOptional, IsString, Length } from 'class-validator';
import { REPLY_CHANNELS, ReplyChannel } from '../candidate-reply.entity';

export class RecordReplyDto {
  /** When the reply arrived; now when left out. */
  @IsOptional() @IsISO8601({ strict: true }, { message: 'receivedAt must be an ISO 8601 date-time' })
  receivedAt?: string;

  @IsIn(REPLY_CHANNELS)
  channel: ReplyChannel;

  /** A short note of what they said; no more than needed (it is personal data). */
  @IsOptional() @IsString() @Length(1, 2000)
  summary?: string;
}
