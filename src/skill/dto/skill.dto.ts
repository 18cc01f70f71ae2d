import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, Max, Min } from 'class-validator';
import { PageQuery } from '../../common/pagination/page';
import { queryNumber } from '../../common/validation/transforms';
import { IsSkillName } from '../is-skill-name.decorator';

export class CreateSkillAliasDto {
  /** What people type, e.g. "k8s". Normalised before it is stored. */
  @IsSkillName()
  alias: string;

  /** The canonical skill it stands for, e.g. "kubernetes". Created if new. */
  @IsSkillName()
  skill: string;

  /**
   * `true` to merge: when the alias is itself a skill that candidates, vacancies or rejection gaps use,
   * they all move to `skill`, for good (a 409 says how many, without it). Admin keys only.
   */
  @IsOptional() @IsBoolean()
  merge?: boolean;
}

export class SuggestSkillsQuery {
  /** Part of a skill name or alias, e.g. "typ". */
  @IsSkillName()
  q: string;

  @IsOptional() @Transform(queryNumber) @IsInt() @Min(1) @Max(50)
  limit?: number;
}

export class ListAliasesQuery extends PageQuery {}
