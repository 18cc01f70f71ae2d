import { Transform } from 'class-transformer';
import { trim } from '../../common/validation/transforms';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { REPLY_CHANNELS, ReplyChannel } from '../candidate-reply.entity';
import { IsIsoDateTime } from '../../common/validation/is-iso-date-time.decorator';

export class RecordReplyDto {
  /** When the reply arrived; now when left out. */
  @IsOptional() @IsIsoDateTime({ message: 'receivedAt must be an ISO 8601 date-time' })
  receivedAt?: string;

  @IsIn(REPLY_CHANNELS)
  channel: ReplyChannel;

  /** A short note of what they said; no more than needed (it is personal data). */
  @IsOptional() @Transform(trim) @IsString() @Length(1, 2000)
  summary?: string;
}
