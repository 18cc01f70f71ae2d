import { PartialType } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { CandidateFields } from './candidate-fields.dto';

export class CreateCandidateDto extends CandidateFields {}

export class UpdateCandidateDto extends PartialType(CandidateFields) {
  /** Recruiters may archive or re-activate; hired and opted_out come from their own flows. */
  @IsOptional() @IsIn(['active', 'archived'])
  status?: 'active' | 'archived';
}
