import { Controller, HttpCode, Post, Req } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConsumes,
  ApiHeader,
  ApiOkResponse,
  ApiPayloadTooLargeResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import type { Request } from 'express';
import type { Server } from 'node:http';
import { ApiKeyAuth } from '../../common/auth/roles';
import { CandidateImportService } from './candidate-import.service';
import { ImportResult, MAX_REPORTED_ERRORS } from './import-tally';
import { IMPORT_FIELDS } from './csv-columns';
import { csvRows, importFormat, jsonLineRows } from './import-row';
import { decodedUpload, MAX_INFLATE_RATIO, RATIO_FREE_BYTES } from './upload-encoding';
import { IMPORT_ROUTE } from './import-route';

const IMPORT_RESULT_SCHEMA = {
  type: 'object',
  required: ['created', 'updated', 'unchanged', 'failed', 'errors', 'errorsTruncated'],
  properties: {
    created: { type: 'integer', description: 'Rows that added a candidate' },
    updated: { type: 'integer', description: 'Rows that updated a candidate with the same email (any case)' },
    unchanged: { type: 'integer', description: 'Rows for a stored candidate that changed nothing: the candidate and its updatedAt stay as they were' },
    failed: { type: 'integer', description: 'Rows not imported (including rows for a person erased at their request)' },
    errors: {
      type: 'array',
      description: `Why rows failed, in file order; at most ${MAX_REPORTED_ERRORS} entries`,
      items: {
        type: 'object',
        properties: {
          row: { type: 'integer', description: 'CSV: the row under the header, from 1, as a spreadsheet numbers them (empty rows count; blank lines do not). JSON lines: line number.' },
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
@Controller(IMPORT_ROUTE)
export class CandidateImportController {
  constructor(
    private readonly importer: CandidateImportService,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  /**
   * Bulk import, streamed: upserts candidates by email (case-insensitive).
   * Bad rows are reported and skipped; they never stop or undo the good ones.
   */
  @Post()
  @HttpCode(200)
  @ApiConsumes('text/csv', 'application/x-ndjson')
  @ApiBody({
    description:
      `CSV with a header row naming any of ${IMPORT_FIELDS.join(', ')} (camelCase, snake_case or words; \`name\` or ` +
      '`firstName` + `lastName` for fullName, `emailAddress` or `mail` for email), separated by `,`, `;` or tabs ' +
      '(told from the header row), in UTF-8 or UTF-16LE with a byte-order mark. ' +
      '`skills` and `tags` are `;`- or `,`-separated, a skill optionally with a level: `typescript:4`, `typescript=4` or `typescript (4)`. ' +
      'Or JSON lines, each a candidate as in POST /api/v1/candidates (skills may also be plain names). ' +
      'Empty cells, empty rows and missing, null or empty-string fields keep what is stored.',
    schema: { type: 'string', format: 'binary' },
  })
  @ApiOkResponse({ description: 'Counts and the rows that failed', schema: IMPORT_RESULT_SCHEMA })
  @ApiBadRequestResponse({ description: 'Unknown, repeated or missing CSV column; nothing was imported' })
  @ApiUnsupportedMediaTypeResponse({ description: 'Neither text/csv nor application/x-ndjson, or a Content-Encoding other than gzip or deflate' })
  @ApiServiceUnavailableResponse({
    description: 'The database aborted a batch four times for concurrent changes to the same people; the batches before were saved, and sending the file again is safe',
  })
  @ApiPayloadTooLargeResponse({
    description: `A compressed upload that inflates more than ${MAX_INFLATE_RATIO}-fold past its first ${RATIO_FREE_BYTES / 1024 / 1024} MB, ` +
      'or takes longer than an upload may; the rows before were imported',
  })
  @ApiHeader({ name: 'Content-Encoding', required: false, description: '`gzip` or `deflate` for a compressed file' })
  async import(@Req() request: Request): Promise<ImportResult> {
    const format = importFormat(request.headers['content-type']);
    // A compressed upload is read for as long as a plain one may take to arrive (Node's requestTimeout).
    const timeout = (this.adapterHost.httpAdapter.getHttpServer() as Server).requestTimeout;
    const upload = decodedUpload(request, request.headers['content-encoding'], timeout > 0 ? Date.now() + timeout : Infinity);
    try {
      return await this.importer.import(format === 'csv' ? csvRows(upload) : jsonLineRows(upload));
    } finally {
      // After an early answer (a rejected header) read and drop the rest of the upload so the client sees the answer.
      request.unpipe();
      request.resume();
      if (upload !== request) upload.destroy();
    }
  }
}
