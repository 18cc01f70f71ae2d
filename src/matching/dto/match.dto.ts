import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsNumber, IsOptional, IsString, IsUUID, Length, Max, Min } from 'class-validator';
import { PageQuery } from '../../common/pagination/page';
import { queryNumber, trim } from '../../common/validation/transforms';


export const MATCH_STATUSES = ['suggested', 'invited', 'dismissed', 'applied'] as const;
export type MatchStatus = (typeof MATCH_STATUSES)[number];

/** `?limit=&minScore=&cursor=` on the live ranking. */
export class RankMatchesQuery extends PageQuery {
  /** Leave out candidates scoring below this (0-100). */
  @ApiPropertyOptional({ minimum: 0, maximum: 100, default: 0 })
  @IsOptional() @Transform(queryNumber) @IsNumber({ maxDecimalPlaces: 1 }) @Min(0) @Max(1000)
  minScore?: number;
}

/** The stored suggestions: by vacancy or by candidate, optionally by status. */
export class ListMatchesQuery extends PageQuery {
  @IsOptional() @IsUUID('all', { message: 'vacancyId must be a UUID' })
  vacancyId?: string;

  @IsOptional() @IsUUID('all', { message: 'candidateId must be a UUID' })
  candidateId?: string;

  @ApiPropertyOptional({ enum: MATCH_STATUSES })
  @IsOptional() @IsIn(MATCH_STATUSES)
  status?: MatchStatus;
}

export class InviteMatchDto {
  /** Why we think of them, in the candidate's language; written from the match explanation when left out. */
  @IsOptional() @Transform(trim) @IsString() @Length(1, 500)
  reason?: string;
}

export class DismissMatchDto {
  /** Why not (kept on the match and the candidate's timeline), e.g. "relocated abroad". */
  @Transform(trim) @IsString() @Length(1, 500)
  reason: string;
}
