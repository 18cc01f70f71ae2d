import { Readable } from 'node:stream';
import { deflateSync, gzipSync } from 'node:zlib';
import { DomainError } from '../../common/errors/domain-error';
import { columnsFromHeader } from './csv-columns';
import { headerDelimiter } from './csv-dialect';
import { csvRows, fieldsFromCsv, fieldsFromJsonLine, ImportRow, importFormat, jsonLineRows, readLines } from './import-row';
import { parseSkillList } from './list-cells';
import { decodedUpload, MAX_INFLATE_RATIO, RATIO_FREE_BYTES } from './upload-encoding';

async function collect<T>(rows: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const row of rows) all.push(row);
  return all;
}

/** Splits text into small chunks so multi-byte characters and lines straddle chunk boundaries. */
const streamOf = (text: string | Buffer, chunkSize = 7) => {
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
const candidates = (rows: ImportRow[]) => rows.flatMap((row) => ('candidate' in row ? [row.candidate] : []));

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
    expect(columnsFromHeader(['Name', 'EMAIL', 'time_zone', 'profileUrl', 'SKILLS']).fields).toEqual([
      'fullName', 'email', 'timeZone', 'profileUrl', 'skills',
    ]);
    expect(columnsFromHeader(['full_name', 'email', 'Profile URL']).fields).toEqual(['fullName', 'email', 'profileUrl']);
  });

  it('knows the email headers of Google Forms and other exports, and first plus last name', () => {
    for (const header of ['Email Address', 'E-mail address', 'Mail', 'E-mail']) {
      expect(columnsFromHeader(['Full Name', header]).fields).toEqual(['fullName', 'email']);
    }
    expect(columnsFromHeader(['First Name', 'Last Name', 'Email Address']).fields).toEqual(['firstName', 'lastName', 'email']);
  });

  it('passes over columns with an empty header cell, such as Excel\'s trailing ones', () => {
    expect(columnsFromHeader(['name', '', 'email', '', ' '])).toEqual({
      fields: ['fullName', undefined, 'email', undefined, undefined], hasUnnamed: true, minCells: 3,
    });
  });

  it('rejects unknown columns, naming them and the columns it knows', async () => {
    const message = await columnsProblem(() => columnsFromHeader(['fullName', 'email', 'salary', 'age']));
    expect(message).toMatch(/"salary", "age"/);
    expect(message).toContain('known columns are fullName (or name, or firstName and lastName), email (or emailAddress, mail), phone, city');
  });

  it('rejects half a split name, or a split name beside a fullName column', async () => {
    await expect(columnsProblem(() => columnsFromHeader(['First Name', 'email']))).resolves.toMatch(/firstName needs a lastName column/);
    await expect(columnsProblem(() => columnsFromHeader(['name', 'first_name', 'last_name', 'email']))).resolves.toMatch(/twice: fullName/);
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

  it('reads `name (4)` and `name=4` as levels, and splits on commas as on `;`', () => {
    expect(parseSkillList('TypeScript (4), typescript=4, Postgres ( 3 ),k8s')).toEqual([
      { name: 'TypeScript', level: 4 },
      { name: 'typescript', level: 4 },
      { name: 'Postgres', level: 3 },
      { name: 'k8s' },
    ]);
    expect(parseSkillList('go=expert;Excel (advanced)')).toEqual([{ name: 'go', level: 'expert' }, { name: 'Excel (advanced)' }]);
    // Text too long to be a skill is left for the validator to refuse, not read for a level.
    const long = `a${' '.repeat(400)}(4)`;
    expect(parseSkillList(long)).toEqual([{ name: long }]);
    // A number in brackets outside 1-5 is a version, part of the name.
    expect(parseSkillList('Java (8);ISO 9001 (2015);HTML (5)')).toEqual([
      { name: 'Java (8)' }, { name: 'ISO 9001 (2015)' }, { name: 'HTML', level: 5 },
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

  it('splits tags on commas and joins first and last name', () => {
    const columns = columnsFromHeader(['First Name', 'Last Name', 'email', 'tags']);
    expect(fieldsFromCsv(columns, ['Ada', 'Lovelace', 'ada@example.com', 'backend, frontend'])).toEqual({
      fullName: 'Ada Lovelace', email: 'ada@example.com', tags: ['backend', 'frontend'],
    });
    expect(fieldsFromCsv(columns, ['', ' Lovelace ', 'ada@example.com', ', ,'])).toEqual({ fullName: 'Lovelace', email: 'ada@example.com' });
  });
});

describe('fieldsFromJsonLine', () => {
  it('turns plain skill names into skills', () => {
    expect(fieldsFromJsonLine('{"fullName":"Ada","skills":["go",{"name":"sql","level":2}]}')).toEqual({
      fullName: 'Ada',
      skills: [{ name: 'go' }, { name: 'sql', level: 2 }],
    });
  });

  it('takes empty and blank strings as not given, in fields and in the tags and skills lists', () => {
    const line = JSON.stringify({
      fullName: 'Ada', email: 'ada@example.com', headline: '', phone: '', city: ' ', country: '', profileUrl: '', source: '\t',
      tags: ['', 'backend', ' '], skills: ['', { name: 'go', level: 2 }],
    });
    expect(fieldsFromJsonLine(line)).toEqual({
      fullName: 'Ada', email: 'ada@example.com', tags: ['backend'], skills: [{ name: 'go', level: 2 }],
    });
    // A list of only blanks is as empty as an empty CSV cell: it must not clear the stored list.
    expect(fieldsFromJsonLine('{"email":"ada@example.com","tags":[""," "]}')).toEqual({ email: 'ada@example.com' });
    // Unknown fields are still reported, empty or not.
    expect(fieldsFromJsonLine('{"salary":""}')).toEqual({ salary: '' });
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

  it('reads a semicolon-separated file (Swedish Excel), commas in cells included', async () => {
    const csv = '\uFEFFFull Name;E-mail;City;Skills\r\nÅsa Öberg;asa@example.com;Göteborg, Västra Götaland;"TypeScript (4), Postgres"\r\n';
    const rows = await collect(csvRows(streamOf(csv)));
    expect(problemsOf(rows)).toEqual([]);
    expect(candidates(rows)).toEqual([expect.objectContaining({
      fullName: 'Åsa Öberg', email: 'asa@example.com', city: 'Göteborg, Västra Götaland',
      skills: [expect.objectContaining({ name: 'TypeScript', level: 4 }), expect.objectContaining({ name: 'Postgres' })],
    })]);
  });

  it('reads a tab-separated UTF-16LE file with a byte-order mark (Excel "Unicode text")', async () => {
    const text = 'Full Name\tE-mail\tCity\r\nÅsa Öberg\tasa@example.com\tLund, Skåne\r\nBo Ek\tbo@example.com\t\r\n';
    const rows = await collect(csvRows(streamOf(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]))));
    expect(problemsOf(rows)).toEqual([]);
    expect(candidates(rows)).toEqual([
      expect.objectContaining({ fullName: 'Åsa Öberg', email: 'asa@example.com', city: 'Lund, Skåne' }),
      expect.objectContaining({ fullName: 'Bo Ek', email: 'bo@example.com' }),
    ]);
  });

  it('skips (but counts) Excel\'s empty rows, allows trailing empty cells and unnamed empty columns, and still fails extra values', async () => {
    const csv = [
      'name,email,,,',
      'Ada,ada@example.com,,,',
      ',,,,',
      ' , ,,,',
      'Bo,bo@example.com,,,,',
      'Cy,cy@example.com',
      'Di,di@example.com,,,surplus',
      'Ed,ed@example.com,,,,surplus',
      '',
    ].join('\n');
    const rows = await collect(csvRows(streamOf(csv)));
    expect(candidates(rows).map((candidate) => candidate.email)).toEqual(['ada@example.com', 'bo@example.com', 'cy@example.com']);
    // Counted as the spreadsheet counts them: Di is on the sixth row under the header.
    expect(problemsOf(rows)).toEqual([
      { row: 6, field: 'row', message: 'cell 5 has a value, but its column has no name in the header' },
      { row: 7, field: 'row', message: 'row has 6 cells; the header has 5' },
    ]);
  });

  it('reads each line by its own ending when a file mixes CRLF, LF and CR (files appended to in other editors)', async () => {
    const csv = 'fullName,email\r\nA One,a1@example.com\nA Two,a2@example.com\rA Three,a3@example.com\r\n"Four, Quoted",a4@example.com\n';
    for (const chunkSize of [1, 2, 7, 4096]) {
      const rows = await collect(csvRows(streamOf(csv, chunkSize)));
      expect(problemsOf(rows)).toEqual([]);
      expect(candidates(rows).map((candidate) => [candidate.fullName, candidate.email])).toEqual([
        ['A One', 'a1@example.com'], ['A Two', 'a2@example.com'], ['A Three', 'a3@example.com'], ['Four, Quoted', 'a4@example.com'],
      ]);
      expect(rows.map((row) => row.row)).toEqual([1, 2, 3, 4]);
    }
  });

  it('accepts a trailing empty cell past the header, but not a value there', async () => {
    const rows = await collect(csvRows(streamOf('fullName,email\nAda,ada@example.com,\nBo,bo@example.com,x\n,\n')));
    expect(candidates(rows).map((candidate) => candidate.email)).toEqual(['ada@example.com']);
    expect(problemsOf(rows)).toEqual([{ row: 2, field: 'row', message: 'row has 3 cells; the header has 2' }]);
  });

  it('says a file is UTF-16 without its byte-order mark, little- or big-endian, instead of listing garbled columns', async () => {
    const text = 'fullName,email\nÅsa,asa@example.com\n';
    const bigEndian = Buffer.from(text, 'utf16le').swap16();
    for (const bytes of [Buffer.from(text, 'utf16le'), bigEndian]) {
      await expect(columnsProblem(() => collect(csvRows(streamOf(bytes))))).resolves
        .toBe('The file looks like UTF-16 without a byte-order mark; save it as CSV UTF-8 and import it again.');
    }
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

describe('headerDelimiter', () => {
  it('counts commas, semicolons and tabs outside quotes on the header line only', () => {
    expect(headerDelimiter('"Name, full";email;city\na,b,c,d,e\n', false)).toBe(';');
    expect(headerDelimiter('name\temail\tcity\r\n', false)).toBe('\t');
    expect(headerDelimiter('\n;;;\nname,email\n', false)).toBe(',');
    expect(headerDelimiter('email\n', false)).toBe(',');
  });

  it('waits for the end of the header line unless the text is complete', () => {
    expect(headerDelimiter('name;ema', false)).toBeUndefined();
    expect(headerDelimiter('name;email', true)).toBe(';');
  });
});

describe('decodedUpload', () => {
  const lines = 'fullName,email\nAda,ada@example.com\n';
  const text = async (stream: Readable) => Buffer.concat(await collect(stream as AsyncIterable<Buffer>)).toString();

  it('inflates gzip and deflate and passes identity through', async () => {
    await expect(text(decodedUpload(streamOf(gzipSync(lines)), 'gzip', Infinity))).resolves.toBe(lines);
    await expect(text(decodedUpload(streamOf(deflateSync(lines)), ' Deflate', Infinity))).resolves.toBe(lines);
    const plain = streamOf(lines);
    expect(decodedUpload(plain, 'identity', Infinity)).toBe(plain);
  });

  it('refuses any other encoding as unsupported media type, naming it', () => {
    expect(() => decodedUpload(streamOf(lines), 'br', Infinity)).toThrow(
      expect.objectContaining({ code: 'UnsupportedMediaType', detail: expect.stringContaining('not "br"') }),
    );
    expect(() => decodedUpload(streamOf(lines), 'gzip, br', Infinity)).toThrow(DomainError);
  });

  it('tells the reader that the stream is not gzip, rather than failing the process', async () => {
    const rows = collect(csvRows(decodedUpload(streamOf(lines), 'gzip', Infinity)));
    await expect(rows).rejects.toMatchObject({ code: 'ValidationFailed', detail: 'Invalid field(s): body' });
  });

  it('imports a spreadsheet export that compresses far past the bomb ratio (rows ending in thousands of empty cells)', async () => {
    // 1,000 rows of 2,000 empty cells, 2 MB: past the 1 MB from which the ratio was judged before.
    const emptyCells = ','.repeat(2_000);
    const csv = `name,email${emptyCells}\n${Array.from({ length: 1_000 }, (_, i) => `P ${i},p${i}@example.com${emptyCells}`).join('\n')}\n`;
    const compressed = gzipSync(csv, { level: 9 });
    expect(csv.length / compressed.length).toBeGreaterThan(MAX_INFLATE_RATIO);
    const rows = await collect(csvRows(decodedUpload(streamOf(compressed, 64 * 1024), 'gzip', Infinity)));
    expect(problemsOf(rows)).toEqual([]);
    expect(candidates(rows)).toHaveLength(1_000);
  });

  it('stops a decompression bomb, and a stream read past the deadline, with 413, keeping the rows before', async () => {
    const bomb = gzipSync(Buffer.concat([Buffer.from(lines), Buffer.alloc(RATIO_FREE_BYTES + 4 * 1024 * 1024, '\n')]));
    const rows: ImportRow[] = [];
    const reading = (async () => {
      for await (const row of csvRows(decodedUpload(streamOf(bomb, 64 * 1024), 'gzip', Infinity))) rows.push(row);
    })();
    await expect(reading).rejects.toMatchObject({ code: 'PayloadTooLarge', detail: expect.stringContaining('more than 100 times') });
    expect(candidates(rows).map((candidate) => candidate.email)).toEqual(['ada@example.com']);
    await expect(collect(jsonLineRows(decodedUpload(streamOf(gzipSync(lines)), 'gzip', Date.now() - 1)))).rejects.toMatchObject({
      code: 'PayloadTooLarge', detail: expect.stringContaining('took longer'),
    });
  });
});

describe('a dropped upload', () => {
  const dropAfterFirstChunk = (text: string | Buffer) => {
    const source = new Readable({ read() {} });
    source.push(text);
    setImmediate(() => source.destroy());
    return source;
  };

  it('fails the CSV reader instead of leaving it waiting', async () => {
    await expect(collect(csvRows(dropAfterFirstChunk('fullName,email\nA,a@example.com\n')))).rejects.toThrow(DomainError);
  });

  it('fails the reader of a gzip upload instead of leaving it waiting', async () => {
    const compressed = gzipSync('fullName,email\nA,a@example.com\n'.repeat(100));
    const dropped = dropAfterFirstChunk(compressed.subarray(0, compressed.length - 10));
    await expect(collect(csvRows(decodedUpload(dropped, 'gzip', Infinity)))).rejects.toMatchObject({
      detail: 'Invalid field(s): body', extra: { errors: [{ field: 'body', messages: [expect.stringContaining('The upload stopped')] }] },
    });
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
