import { Readable } from 'node:stream';
import { DomainError } from '../../common/errors/domain-error';
import {
  columnsFromHeader,
  csvRows,
  fieldsFromCsv,
  fieldsFromJsonLine,
  ImportRow,
  importFormat,
  jsonLineRows,
  parseSkillList,
  readLines,
} from './import-row';

async function collect<T>(rows: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const row of rows) all.push(row);
  return all;
}

/** Splits text into small chunks so multi-byte characters and lines straddle chunk boundaries. */
const streamOf = (text: string, chunkSize = 7) => {
  const bytes = Buffer.from(text);
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunkSize) chunks.push(bytes.subarray(i, i + chunkSize));
  return Readable.from(chunks);
};

/** The message a 400 problem would list for the `columns` field. */
async function columnsProblem(work: () => unknown): Promise<string> {
  try {
    await work();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    const [entry] = (error as DomainError).extra.errors as { field: string; messages: string[] }[];
    expect(entry.field).toBe('columns');
    return entry.messages[0];
  }
  throw new Error('expected a columns problem');
}

const problemsOf = (rows: ImportRow[]) => rows.flatMap((row) => ('problems' in row ? row.problems : []));

describe('importFormat', () => {
  it('knows CSV and the JSON-lines media types, with or without parameters', () => {
    expect(importFormat('text/csv; charset=utf-8')).toBe('csv');
    expect(importFormat('application/x-ndjson')).toBe('json-lines');
    expect(importFormat('Application/JSONL')).toBe('json-lines');
    expect(importFormat('application/json-lines')).toBe('json-lines');
  });

  it('refuses anything else as unsupported media type', () => {
    expect(() => importFormat('application/json')).toThrow(expect.objectContaining({ code: 'UnsupportedMediaType' }));
    expect(() => importFormat(undefined)).toThrow(DomainError);
    expect(() => importFormat('constructor')).toThrow(DomainError);
  });
});

describe('columnsFromHeader', () => {
  it('accepts camelCase, snake_case, any case, and `name` for fullName', () => {
    expect(columnsFromHeader(['Name', 'EMAIL', 'time_zone', 'profileUrl', 'SKILLS'])).toEqual([
      'fullName', 'email', 'timeZone', 'profileUrl', 'skills',
    ]);
    expect(columnsFromHeader(['full_name', 'email', 'Profile URL'])).toEqual(['fullName', 'email', 'profileUrl']);
  });

  it('rejects unknown columns, naming them', async () => {
    await expect(columnsProblem(() => columnsFromHeader(['fullName', 'email', 'salary', 'age']))).resolves.toMatch(/"salary", "age"/);
  });

  it('rejects a column given twice and missing required columns', async () => {
    await expect(columnsProblem(() => columnsFromHeader(['name', 'full_name', 'email']))).resolves.toMatch(/twice: fullName/);
    await expect(columnsProblem(() => columnsFromHeader(['fullName', 'city']))).resolves.toMatch(/missing: email/);
  });
});

describe('parseSkillList', () => {
  it('splits on `;` and reads optional levels', () => {
    expect(parseSkillList(' typescript:4 ; postgres;; JS: 3 ')).toEqual([
      { name: 'typescript', level: 4 },
      { name: 'postgres' },
      { name: 'JS', level: 3 },
    ]);
  });

  it('keeps a malformed level for the validator to reject, and ignores an empty one', () => {
    expect(parseSkillList('go:expert;rust:;c++:4.5')).toEqual([
      { name: 'go', level: 'expert' },
      { name: 'rust' },
      { name: 'c++', level: 4.5 },
    ]);
  });
});

describe('fieldsFromCsv', () => {
  it('leaves empty cells out and splits the list columns', () => {
    const columns = columnsFromHeader(['fullName', 'email', 'city', 'tags', 'skills']);
    expect(fieldsFromCsv(columns, ['Ada', 'ada@example.com', '  ', 'a; b', 'js:5'])).toEqual({
      fullName: 'Ada',
      email: 'ada@example.com',
      tags: ['a', 'b'],
      skills: [{ name: 'js', level: 5 }],
    });
    // Only separators in a list cell: as empty as an empty cell, so an update keeps the stored list.
    expect(fieldsFromCsv(columns, ['Ada', 'ada@example.com', '', ' ; ', ';'])).toEqual({ fullName: 'Ada', email: 'ada@example.com' });
  });
});

describe('fieldsFromJsonLine', () => {
  it('turns plain skill names into skills', () => {
    expect(fieldsFromJsonLine('{"fullName":"Ada","skills":["go",{"name":"sql","level":2}]}')).toEqual({
      fullName: 'Ada',
      skills: [{ name: 'go' }, { name: 'sql', level: 2 }],
    });
  });

  it('explains lines that are not a JSON object', () => {
    expect(fieldsFromJsonLine('{"fullName":')).toBe('line is not valid JSON');
    expect(fieldsFromJsonLine('[1,2]')).toBe('line must be a JSON object');
    expect(fieldsFromJsonLine('null')).toBe('line must be a JSON object');
  });
});

describe('csvRows', () => {
  it('validates each data row like the API and numbers rows after the header', async () => {
    const csv =
      '\uFEFFname,email,country,skills,tags\r\n' +
      'Åsa Öberg,asa@example.com,se,"typescript:4;postgres","Remote; Senior"\r\n' +
      'Bad Email,not-an-email,SE,,\r\n' +
      '\r\n' +
      'Bad Level,b@example.com,SWE,go:9,\r\n' +
      'Too Few,c@example.com\r\n';
    const rows = await collect(csvRows(streamOf(csv)));
    expect(rows.map((row) => row.row)).toEqual([1, 2, 3, 4]);
    const first = rows[0];
    expect('candidate' in first && first.candidate).toMatchObject({
      fullName: 'Åsa Öberg',
      country: 'SE',
      skills: [{ name: 'typescript', level: 4 }, { name: 'postgres' }],
      tags: ['Remote', 'Senior'],
    });
    expect(problemsOf(rows)).toEqual([
      { row: 2, field: 'email', message: 'email must be an email address' },
      { row: 3, field: 'country', message: expect.stringContaining('ISO 3166-1') },
      { row: 3, field: 'skills.0.level', message: expect.stringContaining('5') },
      { row: 4, field: 'row', message: 'row has 2 cells; the header has 5' },
    ]);
  });

  it('rejects a bad header before yielding any row', async () => {
    await expect(columnsProblem(() => collect(csvRows(streamOf('fullName,email,salary\nA,a@example.com,1\n'))))).resolves.toMatch(/salary/);
    await expect(columnsProblem(() => collect(csvRows(streamOf(''))))).resolves.toMatch(/header row is required/);
  });

  it('reports an oversized row and stops there, keeping the rows before it', async () => {
    const csv = `fullName,email\nA,a@example.com\nB,${'b'.repeat(70 * 1024)}@example.com\nC,c@example.com\n`;
    const rows = await collect(csvRows(streamOf(csv, 4096)));
    expect(rows.map((row) => ('candidate' in row ? row.candidate.email : row.problems[0].field))).toEqual(['a@example.com', 'row']);
    expect(problemsOf(rows)[0]).toMatchObject({ row: 2, message: expect.stringContaining('Max Record Size') });
  });

  it('ends with one error at the row where the CSV stops being readable', async () => {
    const csv = 'fullName,email\nA,a@example.com\nB,"b@example.com\nC,c@example.com\n';
    const rows = await collect(csvRows(Readable.from([csv])));
    expect(rows).toHaveLength(2);
    expect('candidate' in rows[0] && rows[0].candidate.email).toBe('a@example.com');
    expect(problemsOf(rows)).toEqual([{ row: 2, field: 'row', message: expect.stringMatching(/later rows were not imported/) }]);
  });
});

describe('a dropped upload', () => {
  const dropAfterFirstChunk = (text: string) => {
    const source = new Readable({ read() {} });
    source.push(text);
    setImmediate(() => source.destroy());
    return source;
  };

  it('fails the CSV reader instead of leaving it waiting', async () => {
    await expect(collect(csvRows(dropAfterFirstChunk('fullName,email\nA,a@example.com\n')))).rejects.toThrow(DomainError);
  });

  it('fails the JSON-lines reader instead of leaving it waiting', async () => {
    await expect(collect(jsonLineRows(dropAfterFirstChunk('{"fullName":"A"}\n')))).rejects.toThrow(DomainError);
  });
});

describe('jsonLineRows', () => {
  it('skips blank lines, numbers by line, and reports bad lines and unknown fields', async () => {
    const text = [
      '{"fullName":"Ada","email":"ada@example.com","skills":["go"]}',
      '',
      'not json',
      '{"fullName":"Bob","email":"bob@example.com","salary":1}',
      '{"fullName":"Cy","email":"cy@example.com"}',
    ].join('\n');
    const rows = await collect(jsonLineRows(streamOf(text)));
    expect(rows.map((row) => row.row)).toEqual([1, 3, 4, 5]);
    expect(problemsOf(rows)).toEqual([
      { row: 3, field: 'row', message: 'line is not valid JSON' },
      { row: 4, field: 'salary', message: 'property salary should not exist' },
    ]);
  });
});

describe('readLines', () => {
  it('splits across chunk boundaries, handles CRLF and multi-byte characters', async () => {
    const lines = await collect(readLines(streamOf('åäö\r\nline two\n\nlast', 3), 100));
    expect(lines).toEqual([
      { number: 1, text: 'åäö' },
      { number: 2, text: 'line two' },
      { number: 3, text: '' },
      { number: 4, text: 'last' },
    ]);
  });

  it('drops the text of a line over the limit instead of buffering it, and carries on', async () => {
    const lines = await collect(readLines(streamOf(`short\n${'x'.repeat(50)}\nafter\n`, 4), 10));
    expect(lines).toEqual([{ number: 1, text: 'short' }, { number: 2 }, { number: 3, text: 'after' }]);
  });
});
