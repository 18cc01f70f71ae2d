import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { CsvError, parse } from 'csv-parse';
import { StringDecoder } from 'node:string_decoder';
import { Duplex, PassThrough, Readable } from 'node:stream';
import { DomainError } from '../../common/errors/domain-error';
import { unstorableTextErrors } from '../../common/validation/unstorable-text';
import { flattenValidationErrors } from '../../common/validation/validation.pipe';
import { CreateCandidateDto } from '../dto/candidate.dto';
import { cellsMisfit, columnsFromHeader, CsvColumns, IMPORT_FIELDS } from './csv-columns';
import { CsvDialectSniffer } from './csv-dialect';
import { parseSkillList, splitList } from './list-cells';

/** One entry of the import's error list. `row` is the 1-based data row (CSV) or line (JSON lines). */
export interface RowProblem {
  row: number;
  field: string;
  message: string;
}

export type ImportRow = { row: number; candidate: CreateCandidateDto } | { row: number; problems: RowProblem[] };

export type ImportFormat = 'csv' | 'json-lines';

/** Far above any valid row (about 12 kB at every field's maximum); stops one broken quote from buffering the file. */
const MAX_ROW_BYTES = 64 * 1024;

const MEDIA_TYPES = new Map<string, ImportFormat>([
  ['text/csv', 'csv'],
  ['application/x-ndjson', 'json-lines'],
  ['application/jsonl', 'json-lines'],
  ['application/json-lines', 'json-lines'],
]);

export function importFormat(contentType: string | undefined): ImportFormat {
  const [type, ...parameters] = (contentType ?? '').split(';');
  const mediaType = type.trim().toLowerCase();
  const format = MEDIA_TYPES.get(mediaType);
  if (!format) {
    throw new DomainError(
      'UnsupportedMediaType',
      `Send the file as text/csv or application/x-ndjson (JSON lines), not ${mediaType || 'no content type'}.`,
    );
  }
  // Read as anything but UTF-8, "Åsa" would be stored as "�sa" over a correct name.
  const charset = parameters.map((p) => p.trim().toLowerCase()).find((p) => p.startsWith('charset='))?.slice('charset='.length).replace(/"/g, '');
  if (charset && !UTF8_CHARSETS.has(charset)) {
    throw new DomainError('UnsupportedMediaType', `Send the file in UTF-8 (charset=utf-8), not ${charset}.`);
  }
  return format;
}

const UTF8_CHARSETS = new Set(['utf-8', 'utf8', 'us-ascii']);
/** What the decoder puts where the bytes were not UTF-8. */
const NOT_UTF8 = '\uFFFD';
const NOT_UTF8_MESSAGE = 'row is not valid UTF-8 (save the file as UTF-8)';

/** A CSV record as the plain object the API would receive; empty cells are "not given". */
export function fieldsFromCsv(columns: CsvColumns, cells: string[]): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  let firstName: string | undefined;
  let lastName: string | undefined;
  // Over the row's own cells: a header of a million empty columns must not cost every row a million steps.
  const last = Math.min(cells.length, columns.fields.length);
  for (let i = 0; i < last; i++) {
    const field = columns.fields[i];
    const cell = cells[i].trim();
    if (!cell || !field) continue;
    if (field === 'firstName') firstName = cell;
    else if (field === 'lastName') lastName = cell;
    else if (field !== 'skills' && field !== 'tags') fields[field] = cell;
    else {
      // A list cell with only separators (";") is as empty as an empty cell: it must not clear what is stored.
      const list = splitList(cell);
      if (list.length > 0) fields[field] = field === 'skills' ? parseSkillList(cell) : list;
    }
  }
  if (firstName || lastName) fields.fullName = [firstName, lastName].filter(Boolean).join(' ');
  return fields;
}

const IMPORTED = new Set<string>(IMPORT_FIELDS);
const isBlank = (value: unknown) => typeof value === 'string' && value.trim() === '';

/** A JSON line as the plain object the API would receive; skills may also be plain names. */
export function fieldsFromJsonLine(line: string): Record<string, unknown> | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return 'line is not valid JSON';
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'line must be a JSON object';
  const fields = value as Record<string, unknown>;
  for (const [field, given] of Object.entries(fields)) {
    if (!IMPORTED.has(field)) continue;
    // "" (or only spaces) means "not given", as null and an empty CSV cell do: it must not clear or fail a stored value.
    if (isBlank(given)) delete fields[field];
    else if ((field === 'tags' || field === 'skills') && Array.isArray(given) && given.some(isBlank)) {
      const list = given.filter((item) => !isBlank(item));
      if (list.length > 0) fields[field] = list;
      else delete fields[field];
    }
  }
  if (Array.isArray(fields.skills)) {
    fields.skills = fields.skills.map((skill: unknown) => (typeof skill === 'string' ? { name: skill } : skill));
  }
  return fields;
}

/** Validates exactly like `POST /api/v1/candidates` (the global ValidationPipe's options). */
export function validateRow(row: number, fields: Record<string, unknown>): ImportRow {
  try {
    return validateFields(row, fields);
  } catch {
    // Whatever a row holds, it is this row's problem, not the import's.
    return rowProblem(row, 'row could not be read as a candidate');
  }
}

function validateFields(row: number, fields: Record<string, unknown>): ImportRow {
  const nul = unstorableTextErrors(fields);
  if (nul.length > 0) return { row, problems: nul.map(({ field, messages }) => ({ row, field, message: messages.join('; ') })) };
  const candidate = plainToInstance(CreateCandidateDto, fields);
  const errors = validateSync(candidate, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length === 0) return { row, candidate };
  const problems = flattenValidationErrors(errors).map(({ field, messages }) => ({ row, field, message: messages.join('; ') }));
  return { row, problems: problems.length > 0 ? problems : [{ row, field: 'row', message: 'row is not a valid candidate' }] };
}

/**
 * pipe() does not pass errors on: without this a dropped upload would leave the reader waiting forever.
 * A source that failed with a reason for the client (a corrupt gzip stream, say) passes that reason on.
 */
function failOnDroppedUpload<T extends Duplex>(source: Readable, reader: T): T {
  const failIfDropped = () => {
    if (source.readableEnded) return;
    reader.destroy(source.errored instanceof DomainError
      ? source.errored
      : DomainError.field('body', 'The upload stopped before the end of the file; the rows before that point were imported.'));
  };
  if (source.closed) failIfDropped();
  else source.once('close', failIfDropped);
  return reader;
}

const rowProblem = (row: number, message: string): ImportRow => ({ row, problems: [{ row, field: 'row', message }] });

/**
 * Validated rows of a CSV stream. The source is piped, never async-iterated,
 * so stopping early does not destroy the request (the answer still goes out).
 * csv-parse cannot find row boundaries again after a syntax error (an
 * unclosed quote, an oversized row), so the first one ends the import with an
 * error for the row where it happened; the rows before it are all delivered.
 */
export async function* csvRows(source: Readable): AsyncGenerator<ImportRow> {
  let syntaxError: CsvError | undefined;
  const sniffer = new CsvDialectSniffer(MAX_ROW_BYTES);
  source.pipe(failOnDroppedUpload(source, sniffer));
  const parser = parse({
    // Blank lines are skipped in the parser (a file of millions of them costs nothing); they are not counted.
    bom: true, delimiter: await sniffer.delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: true,
    // Each line by its own ending: left to detect it, csv-parse keeps the first one it meets, and a file
    // appended to in another editor (LF rows after a CRLF header) was read as one long row.
    record_delimiter: ['\r\n', '\n', '\r'],
    max_record_size: MAX_ROW_BYTES, skip_records_with_error: true,
  });
  parser.on('skip', (error: CsvError) => (syntaxError ??= error));
  sniffer.pipe(failOnDroppedUpload(sniffer, parser));
  let columns: CsvColumns | undefined;
  let row = 0;
  try {
    for await (const cells of parser as AsyncIterable<string[]>) {
      // Records counted by csv-parse include the header, so `records` is the data row that broke.
      if (syntaxError && row >= syntaxError.records) break;
      // Excel's empty rows (",,,") are skipped, but counted after the header: row numbers stay those of the
      // spreadsheet the recruiter will correct (row 1 is the one under the header).
      const empty = cells.every((cell) => cell.trim() === '');
      if (!columns) {
        if (!empty) columns = columnsFromHeader(cells);
        continue;
      }
      row += 1;
      if (empty) continue;
      const misfit = cellsMisfit(columns, cells);
      if (misfit) {
        yield rowProblem(row, misfit);
      } else if (cells.some((cell) => cell.includes(NOT_UTF8))) {
        yield rowProblem(row, NOT_UTF8_MESSAGE);
      } else {
        yield validateRow(row, fieldsFromCsv(columns, cells));
      }
    }
  } finally {
    // Stopped early (a rejected header): the upload is drained by the controller, not held here.
    sniffer.destroy();
  }
  if (syntaxError && !columns) throw DomainError.field('columns', `The header row could not be read: ${syntaxError.message}`);
  if (!columns) throw DomainError.field('columns', 'The file is empty; a header row is required.');
  if (syntaxError) {
    yield rowProblem(syntaxError.records, `The CSV could not be read from this row on (${syntaxError.message}); later rows were not imported.`);
  }
}

/** Validated rows of a JSON-lines stream; blank lines are skipped but still counted. */
export async function* jsonLineRows(source: Readable): AsyncGenerator<ImportRow> {
  for await (const line of readLines(source, MAX_ROW_BYTES)) {
    if (line.text === undefined) {
      yield rowProblem(line.number, `line is longer than ${MAX_ROW_BYTES} characters`);
      continue;
    }
    if (line.text.trim() === '') continue;
    if (line.text.includes(NOT_UTF8)) {
      yield rowProblem(line.number, NOT_UTF8_MESSAGE);
      continue;
    }
    const fields = fieldsFromJsonLine(line.text);
    yield typeof fields === 'string' ? rowProblem(line.number, fields) : validateRow(line.number, fields);
  }
}

/**
 * Lines of a UTF-8 stream, numbered from 1. Unlike node:readline, a line
 * over `maxLength` is not buffered: it comes back without text.
 */
export async function* readLines(source: Readable, maxLength: number): AsyncGenerator<{ number: number; text?: string }> {
  const decoder = new StringDecoder('utf8');
  const chunks = source.pipe(failOnDroppedUpload(source, new PassThrough()));
  let pending = '';
  let tooLong = false;
  let number = 0;
  const finish = (text: string) => {
    number += 1;
    const clean = (number === 1 ? text.replace(/^\uFEFF/, '') : text).replace(/\r$/, '');
    const result = tooLong || clean.length > maxLength ? { number } : { number, text: clean };
    tooLong = false;
    return result;
  };
  for await (const chunk of chunks as AsyncIterable<Buffer>) {
    const parts = (pending + decoder.write(chunk)).split('\n');
    pending = parts.pop()!;
    for (const part of parts) yield finish(part);
    if (pending.length > maxLength) {
      tooLong = true;
      pending = '';
    }
  }
  pending += decoder.end();
  if (pending !== '' || tooLong) yield finish(pending);
}
