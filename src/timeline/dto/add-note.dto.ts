import { trim } from '../../common/validation/transforms';
import { Transform } from 'class-transformer';
import { IsString, Length } from 'class-validator';

export class AddNoteDto {
  /** Kept as part of the person's record: they can read it in an export. */
  @Transform(trim)
  @IsString() @Length(1, 4000)
  text: string;
}
