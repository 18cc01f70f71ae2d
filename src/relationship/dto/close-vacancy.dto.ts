import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsUUID, ValidateIf } from 'class-validator';

export class CloseVacancyDto {
  /** `filled`: someone was hired (the other finalists get medals); `cancelled`: nobody will be. */
  @ApiProperty({ enum: ['filled', 'cancelled'] })
  @IsIn(['filled', 'cancelled'])
  outcome: 'filled' | 'cancelled';

  /** With `filled`: the hired candidacy (at the final or offer stage; decided as hired now if still pending). */
  @ApiPropertyOptional({ format: 'uuid' })
  @ValidateIf((dto: CloseVacancyDto) => dto.outcome === 'filled' || dto.hiredCandidacyId !== undefined)
  @IsUUID('all', { message: 'hiredCandidacyId must be the UUID of the hired candidacy' })
  hiredCandidacyId?: string;
}
