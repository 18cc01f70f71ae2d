import { Transform } from 'class-transformer';
import { trim } from '../../common/validation/transforms';
import { IsIn, IsString, Length } from 'class-validator';
import { IsOneLine } from '../../common/validation/is-one-line.decorator';
import { Role, ROLES } from '../../common/auth/roles';

export class CreateApiKeyDto {
  /** Who or what uses the key, e.g. "BI dashboard". */
  @Transform(trim) @IsString() @Length(1, 100) @IsOneLine()
  name: string;

  @IsIn(ROLES)
  role: Role;
}
