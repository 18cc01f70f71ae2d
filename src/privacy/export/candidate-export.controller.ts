import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiKeyAuth, RequireRole } from '../../common/auth/roles';
import { UuidParam } from '../../common/validation/uuid-param';
import { CandidateExportService } from './candidate-export.service';

@ApiTags('privacy')
@ApiKeyAuth()
@Controller('api/v1/candidates/:id')
export class CandidateExportController {
  constructor(private readonly exports: CandidateExportService) {}

  /**
   * Everything held about the person as one JSON document (streamed, as a
   * download): profile, skills, consents, candidacies with decisions and
   * reasons, feedback given, emails as rendered, replies, notes and the
   * rest of the timeline, campaign enrollments, privacy requests, and who
   * accessed the data. Recorded in the audit log.
   */
  @Get('export')
  @RequireRole('admin')
  @ApiProduces('application/json')
  @ApiOkResponse({ description: '{ format, candidateId, exportedAt, sections: {...}, sources: {section: table}, references }' })
  @ApiNotFoundResponse({ description: 'No such candidate' })
  async export(@Param('id', UuidParam()) id: string, @Res() res: Response): Promise<void> {
    await this.exports.stream(id, res);
  }
}
