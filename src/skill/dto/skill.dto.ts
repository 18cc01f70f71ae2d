import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { PageQuery } from '../../common/pagination/page';
import { SKILL_NAME_MAX } from '../skill-name';

export class CreateSkillAliasDto {
  /** What people type, e.g. "k8s". Normalised before it is stored. */
  @IsString() @Length(1, SKILL_NAME_MAX)
  alias: string;

  /** The canonical skill it stands for, e.g. "kubernetes". Created if new. */
  @IsString() @Length(1, SKILL_NAME_MAX)
  skill: string;
}

export class SuggestSkillsQuery {
  /** Part of a skill name or alias, e.g. "typ". */
  @IsString() @Length(1, SKILL_NAME_MAX)
  q: string;

  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(50)
  limit?: number;
}

export class ListAliasesQuery extends PageQuery {}
