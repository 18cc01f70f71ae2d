import { Controller, HttpCode, Post, Req } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConsumes,
  ApiOkResponse,
  ApiTags,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { ApiKeyAuth } from '../../common/auth/roles';
import { CandidateImportService, ImportResult, MAX_REPORTED_ERRORS } from './candidate-import.service';
import { csvRows, IMPORT_FIELDS, importFormat, jsonLineRows } from './import-row';

const IMPORT_RESULT_SCHEMA = {
  type: 'object',
  required: ['created', 'updated', 'failed', 'errors', 'errorsTruncated'],
  properties: {
    created: { type: 'integer', description: 'Rows that added a candidate' },
    updated: { type: 'integer', description: 'Rows that updated a candidate with the same email (any case)' },
    failed: { type: 'integer', description: 'Rows not imported' },
    errors: {
      type: 'array',
      description: `Why rows failed, in file order; at most ${MAX_REPORTED_ERRORS} entries`,
      items: {
        type: 'object',
        properties: {
          row: { type: 'integer', description: 'CSV: data row, 1 = first row after the header. JSON lines: line number.' },
          field: { type: 'string', example: 'skills.0.level', description: '`row` when the row as a whole failed' },
          message: { type: 'string' },
        },
      },
    },
    errorsTruncated: { type: 'boolean', description: 'More errors than the list holds' },
  },
};

@ApiTags('candidates')
@ApiKeyAuth()
@Controller('api/v1/candidates/import')
export class CandidateImportController {
  constructor(private readonly importer: CandidateImportService) {}

  /**
   * Bulk import, streamed: upserts candidates by email (case-insensitive).
   * Bad rows are reported and skipped; they never stop or undo the good ones.
   */
  @Post()
  @HttpCode(200)
  @ApiConsumes('text/csv', 'application/x-ndjson')
  @ApiBody({
    description:
      `CSV with a header row naming any of ${IMPORT_FIELDS.join(', ')} (camelCase or snake_case; \`name\` for fullName). ` +
      '`skills` and `tags` are `;`-separated, a skill optionally `name:level` (`typescript:4;postgres`). ' +
      'Or JSON lines, each a candidate as in POST /api/v1/candidates (skills may also be plain names). ' +
      'Empty cells and missing or null fields keep what is stored.',
    schema: { type: 'string', format: 'binary' },
  })
  @ApiOkResponse({ description: 'Counts and the rows that failed', schema: IMPORT_RESULT_SCHEMA })
  @ApiBadRequestResponse({ description: 'Unknown, repeated or missing CSV column; nothing was imported' })
  @ApiUnsupportedMediaTypeResponse({ description: 'Neither text/csv nor application/x-ndjson' })
  async import(@Req() request: Request): Promise<ImportResult> {
    const format = importFormat(request.headers['content-type']);
    try {
      return await this.importer.import(format === 'csv' ? csvRows(request) : jsonLineRows(request));
    } finally {
      // After an early answer (a rejected header) read and drop the rest of the upload so the client sees the answer.
      request.unpipe();
      request.resume();
    }
  }
}
