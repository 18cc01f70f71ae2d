import { DomainError } from '../../common/errors/domain-error';

export const IMPORT_FIELDS = [
  'fullName', 'email', 'phone', 'city', 'country', 'timeZone', 'locale',
  'headline', 'profileUrl', 'skills', 'tags', 'source',
] as const;
type ImportField = (typeof IMPORT_FIELDS)[number];

/** What one CSV column holds: a field, half of a split name, or nothing (an unnamed column, which must stay empty). */
export type CsvColumn = ImportField | 'firstName' | 'lastName' | undefined;

/** The columns of a CSV file as read from its header row. */
export interface CsvColumns {
  fields: CsvColumn[];
  /** Some header cell is empty: Excel writes them for formatted but empty columns, which rows must leave empty. */
  hasUnnamed: boolean;
  /** Cells a row must have: up to the last named column, so a row may leave out trailing unnamed ones. */
  minCells: number;
}

const REQUIRED: ImportField[] = ['fullName', 'email'];

/** Header spellings compare without case, `_`, `-` or spaces, so `full_name`, `fullName` and `Full Name` all match. */
const squash = (name: string) => name.toLowerCase().replace(/[\s_-]+/g, '');

/** Spellings other tools export (Google Forms, LinkedIn, ATS exports), besides each field's own name. */
const ALIASES: [string, CsvColumn][] = [
  ['name', 'fullName'],
  ['emailAddress', 'email'],
  ['mail', 'email'],
  ['firstName', 'firstName'],
  ['lastName', 'lastName'],
];
const COLUMN_NAMES = new Map<string, CsvColumn>([
  ...IMPORT_FIELDS.map((field): [string, CsvColumn] => [squash(field), field]),
  ...ALIASES.map(([alias, column]): [string, CsvColumn] => [squash(alias), column]),
]);
const KNOWN_COLUMNS =
  'fullName (or name, or firstName and lastName), email (or emailAddress, mail), ' +
  `${IMPORT_FIELDS.slice(2).join(', ')}; case, spaces, "-" and "_" do not matter`;

/** The field each CSV column fills; an unknown, repeated or missing column rejects the whole file. */
export function columnsFromHeader(header: string[]): CsvColumns {
  // Every other byte NUL: UTF-16 that came without its byte-order mark (or big-endian), read as UTF-8.
  if (header.some((name) => name.includes('\u0000'))) {
    throw DomainError.field('columns', 'The file looks like UTF-16 without a byte-order mark; save it as CSV UTF-8 and import it again.');
  }
  const fields = header.map((name) => COLUMN_NAMES.get(squash(name)));
  const unknown = header.filter((name, i) => !fields[i] && name.trim() !== '');
  if (unknown.length > 0) {
    throw DomainError.field(
      'columns',
      `Unknown column(s) ${unknown.map((name) => JSON.stringify(name)).join(', ')}; known columns are ${KNOWN_COLUMNS}.`,
    );
  }
  const named = fields.filter((field): field is NonNullable<CsvColumn> => field !== undefined);
  const halves = named.filter((field) => field === 'firstName' || field === 'lastName');
  if (halves.length === 1) {
    const other = halves[0] === 'firstName' ? 'lastName' : 'firstName';
    throw DomainError.field('columns', `Column ${halves[0]} needs a ${other} column too (or give the name in one fullName column).`);
  }
  const filled = named.map((field) => (field === 'firstName' || field === 'lastName' ? 'fullName' : field));
  if (halves.length > 0) filled.splice(filled.indexOf('fullName'), 1);
  const repeated = named.filter((field, i) => named.indexOf(field) !== i);
  if (filled.filter((field) => field === 'fullName').length > 1) repeated.push('fullName');
  if (repeated.length > 0) throw DomainError.field('columns', `Column(s) given twice: ${[...new Set(repeated)].join(', ')}.`);
  const missing = REQUIRED.filter((field) => !filled.includes(field));
  if (missing.length > 0) throw DomainError.field('columns', `Required column(s) missing: ${missing.join(', ')}.`);
  const hasUnnamed = fields.includes(undefined);
  let minCells = fields.length;
  while (fields[minCells - 1] === undefined) minCells -= 1;
  return { fields, hasUnnamed, minCells };
}

/**
 * Why a row's cells do not fit the header, or undefined when they do. Cells
 * past the header or in unnamed columns may only be empty (Excel's trailing
 * commas). A row of the header's length under a header without unnamed
 * columns is not looked at, so a well-formed file pays nothing per row.
 */
export function cellsMisfit(columns: CsvColumns, cells: string[]): string | undefined {
  const width = columns.fields.length;
  if (cells.length === width && !columns.hasUnnamed) return undefined;
  if (cells.length < columns.minCells || (cells.length > width && cells.slice(width).some((cell) => cell.trim() !== ''))) {
    return `row has ${cells.length} cells; the header has ${width}`;
  }
  // Over the row's own cells, not the header's unnamed columns: a header of a million empty cells costs a
  // row nothing more than its own width (which the row size limit bounds).
  const last = Math.min(cells.length, width);
  for (let i = 0; i < last; i++) {
    if (columns.fields[i] === undefined && cells[i].trim() !== '') return `cell ${i + 1} has a value, but its column has no name in the header`;
  }
  return undefined;
}
