import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { PageQuery } from '../../common/pagination/page';
import { IsSkillName } from '../../skill/is-skill-name.decorator';
import { DECIDED_OUTCOMES, DecidedOutcome, Outcome, OUTCOMES, Stage, STAGES } from '../candidacy-stages';
import { trim } from '../../common/validation/transforms';


export class CreateCandidacyDto {
  @IsUUID('all', { message: 'candidateId must be a UUID' })
  candidateId: string;

  @IsUUID('all', { message: 'vacancyId must be a UUID' })
  vacancyId: string;

  /** Where the candidate enters the process; `applied` (default) queues the confirmation email. */
  @ApiPropertyOptional({ enum: STAGES })
  @IsOptional() @IsIn(STAGES)
  stage?: Stage;
}

export class ChangeStageDto {
  @ApiProperty({ enum: STAGES })
  @IsIn(STAGES)
  stage: Stage;
}

export class DecisionReasonDto {
  /** One of the vacancy's criteria: a criterion skill (any spelling) or `seniority`. */
  @Transform(trim) @IsSkillName()
  criterion: string;

  /** The gap as skills; a skill criterion is its own gap when left out. */
  @IsOptional() @IsArray() @ArrayMaxSize(10) @IsSkillName({ each: true })
  gapSkills?: string[];

  /** e.g. "more experience running Kafka in production". */
  @IsOptional() @Transform(trim) @IsString() @Length(1, 300)
  note?: string;
}

/** What we promised the candidate, e.g. to contact them first for the next platform role. */
export class PromiseDto {
  @Transform(trim) @IsString() @Length(1, 500)
  text: string;

  @IsOptional() @IsArray() @ArrayMaxSize(10) @IsSkillName({ each: true })
  skills?: string[];

  @IsOptional() @Transform(trim) @IsString() @Length(1, 100)
  team?: string;
}

export class DecisionDto {
  @ApiProperty({ enum: DECIDED_OUTCOMES })
  @IsIn(DECIDED_OUTCOMES)
  outcome: DecidedOutcome;

  /** At the final or offer stage: 1 is the hire (implied by `hired`), 2 silver, 3 or more bronze. */
  @IsOptional() @IsInt() @Min(1) @Max(100)
  finalistRank?: number;

  /** Only with `rejected`. */
  @IsOptional() @IsArray() @ArrayMaxSize(20) @IsObject({ each: true }) @ValidateNested({ each: true }) @Type(() => DecisionReasonDto)
  reasons?: DecisionReasonDto[];

  /** Only with `rejected`. */
  @IsOptional() @IsObject() @ValidateNested() @Type(() => PromiseDto)
  promise?: PromiseDto;
}

export class ListCandidaciesQuery extends PageQuery {
  @ApiPropertyOptional({ enum: STAGES })
  @IsOptional() @IsIn(STAGES)
  stage?: Stage;

  @ApiPropertyOptional({ enum: OUTCOMES })
  @IsOptional() @IsIn(OUTCOMES)
  outcome?: Outcome;
}
