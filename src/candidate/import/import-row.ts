import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { CsvError, parse } from 'csv-parse';
import { StringDecoder } from 'node:string_decoder';
import { Duplex, PassThrough, Readable } from 'node:stream';
import { DomainError } from '../../common/errors/domain-error';
import { unstorableTextErrors } from '../../common/validation/unstorable-text';
import { flattenValidationErrors } from '../../common/validation/validation.pipe';
import { CreateCandidateDto } from '../dto/candidate.dto';

/** One entry of the import's error list. `row` is the 1-based data row (CSV) or line (JSON lines). */
export interface RowProblem {
  row: number;
  field: string;
  message: string;
}

export type ImportRow = { row: number; candidate: CreateCandidateDto } | { row: number; problems: RowProblem[] };

export type ImportFormat = 'csv' | 'json-lines';

export const IMPORT_FIELDS = [
  'fullName', 'email', 'phone', 'city', 'country', 'timeZone', 'locale',
  'headline', 'profileUrl', 'skills', 'tags', 'source',
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

const REQUIRED_COLUMNS: ImportField[] = ['fullName', 'email'];
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

/** Header spellings compare without case, `_`, `-` or spaces, so `full_name`, `fullName` and `Full Name` all match. */
const squash = (name: string) => name.toLowerCase().replace(/[\s_-]+/g, '');
const COLUMN_NAMES = new Map<string, ImportField>([
  ...IMPORT_FIELDS.map((field): [string, ImportField] => [squash(field), field]),
  ['name', 'fullName'],
]);

/** The field each CSV column fills; an unknown, repeated or missing column rejects the whole file. */
export function columnsFromHeader(header: string[]): ImportField[] {
  const columns = header.map((name) => COLUMN_NAMES.get(squash(name)));
  const unknown = header.filter((_, i) => !columns[i]);
  if (unknown.length > 0) {
    throw DomainError.field(
      'columns',
      `Unknown column(s) ${unknown.map((name) => JSON.stringify(name)).join(', ')}; known columns are ${IMPORT_FIELDS.join(', ')}.`,
    );
  }
  const known = columns as ImportField[];
  const repeated = known.filter((field, i) => known.indexOf(field) !== i);
  if (repeated.length > 0) throw DomainError.field('columns', `Column(s) given twice: ${[...new Set(repeated)].join(', ')}.`);
  const missing = REQUIRED_COLUMNS.filter((field) => !known.includes(field));
  if (missing.length > 0) throw DomainError.field('columns', `Required column(s) missing: ${missing.join(', ')}.`);
  return known;
}

const splitList = (text: string) => text.split(';').map((item) => item.trim()).filter(Boolean);

/** `typescript:4;postgres` -> [{ name: 'typescript', level: 4 }, { name: 'postgres' }]. A non-numeric level is kept for the validator to reject. */
export function parseSkillList(text: string): { name: string; level?: number | string }[] {
  return splitList(text).map((item) => {
    const colon = item.lastIndexOf(':');
    if (colon < 0) return { name: item };
    const name = item.slice(0, colon).trim();
    const level = item.slice(colon + 1).trim();
    if (level === '') return { name };
    return { name, level: /^\d+(\.\d+)?$/.test(level) ? Number(level) : level };
  });
}

/** A CSV record as the plain object the API would receive; empty cells are "not given". */
export function fieldsFromCsv(columns: ImportField[], cells: string[]): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  columns.forEach((field, i) => {
    const cell = cells[i]?.trim();
    if (!cell) return;
    if (field !== 'skills' && field !== 'tags') {
      fields[field] = cell;
      return;
    }
    // A list cell with only separators (";") is as empty as an empty cell: it must not clear what is stored.
    const list = splitList(cell);
    if (list.length === 0) return;
    fields[field] = field === 'skills' ? parseSkillList(cell) : list;
  });
  return fields;
}

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

/** pipe() does not pass errors on: without this a dropped upload would leave the reader waiting forever. */
function failOnDroppedUpload<T extends Duplex>(source: Readable, reader: T): T {
  source.once('close', () => {
    if (!source.readableEnded) {
      reader.destroy(DomainError.field('body', 'The upload stopped before the end of the file; the rows before that point were imported.'));
    }
  });
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
  const parser = parse({
    bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: true,
    max_record_size: MAX_ROW_BYTES, skip_records_with_error: true,
  });
  parser.on('skip', (error: CsvError) => (syntaxError ??= error));
  source.pipe(failOnDroppedUpload(source, parser));
  let columns: ImportField[] | undefined;
  let row = 0;
  for await (const cells of parser as AsyncIterable<string[]>) {
    // Records counted by csv-parse include the header, so `records` is the data row that broke.
    if (syntaxError && row >= syntaxError.records) break;
    if (!columns) {
      columns = columnsFromHeader(cells);
      continue;
    }
    row += 1;
    if (cells.length !== columns.length) {
      yield rowProblem(row, `row has ${cells.length} cells; the header has ${columns.length}`);
    } else if (cells.some((cell) => cell.includes(NOT_UTF8))) {
      yield rowProblem(row, NOT_UTF8_MESSAGE);
    } else {
      yield validateRow(row, fieldsFromCsv(columns, cells));
    }
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
