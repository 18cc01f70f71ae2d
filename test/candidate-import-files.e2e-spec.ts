import { deflateSync, gzipSync } from 'node:zlib';
import { CandidateImportController } from '../src/candidate/import/candidate-import.controller';
import { expectProblem } from './support/problem';
import { importSuite } from './support/import-api';

/** Files as other tools export them: Excel in Sweden, Excel "Unicode text", Google Forms, ATS exports, compressed uploads. */
describe(CandidateImportController.name, () => {
  const suite = importSuite();
  const { upload, importCsv, importJsonLines, findByName } = suite;
  const jsonLines = (lines: object[]) => importJsonLines(lines.map((line) => JSON.stringify(line)));

  it('imports a semicolon-separated file as Swedish Excel saves it, commas in cells included', async () => {
    const csv = '\uFEFFFull Name;E-mail;City;Skills\r\nÅsa Öberg;asa@example.com;Göteborg, Västra Götaland;TypeScript:4\r\n';

    const response = await importCsv(csv).expect(200);

    expect(response.body).toMatchObject({ created: 1, updated: 0, failed: 0, errors: [], errorsTruncated: false });
    expect(await findByName('Åsa Öberg')).toMatchObject({
      email: 'asa@example.com', city: 'Göteborg, Västra Götaland', skills: [{ name: 'typescript', level: 4 }],
    });
  });

  it('imports Excel "Unicode text": UTF-16LE with a byte-order mark, separated by tabs', async () => {
    const text = 'Name\tEmail\tCity\tTags\r\nÖrjan Åkesson\torjan@example.com\tMalmö, Skåne\tbackend\r\n';

    const response = await importCsv(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])).expect(200);

    expect(response.body).toMatchObject({ created: 1, failed: 0 });
    expect(await findByName('Örjan Åkesson')).toMatchObject({ email: 'orjan@example.com', city: 'Malmö, Skåne', tags: ['backend'] });
  });

  it('maps Google Forms and ATS headers, joins first and last name, and passes over empty columns', async () => {
    const csv = [
      'First Name,Last Name,Email Address,,City,,',
      'Grace,Hopper,grace@example.com,,Arlington,,',
      'Bo,Ek,bo@example.com,,,,',
      'Stray,Value,stray@example.com,oops,,,',
    ].join('\n');

    const response = await importCsv(csv).expect(200);

    expect(response.body).toMatchObject({
      created: 2, failed: 1, errors: [{ row: 3, field: 'row', message: 'cell 4 has a value, but its column has no name in the header' }],
    });
    expect(await findByName('Grace Hopper')).toMatchObject({ email: 'grace@example.com', city: 'Arlington' });
    expect(await findByName('Bo Ek')).toMatchObject({ email: 'bo@example.com' });
    expect(await findByName('Stray Value')).toBeUndefined();
    for (const header of ['E-mail address', 'Mail']) {
      expect((await importCsv(`name,${header}\nMail ${header},${header === 'Mail' ? 'mail' : 'e-mail'}@example.com\n`).expect(200)).body)
        .toMatchObject({ created: 1, failed: 0 });
    }
    expect(await findByName('Mail Mail')).toMatchObject({ email: 'mail@example.com' });
  });

  it('still rejects an unknown column, saying which columns it knows', async () => {
    const body = expectProblem(await importCsv('Full Name;E-mail;Salary\nNot Saved;notsaved@example.com;1\n'), 400, ['columns']);

    expect(body.errors[0].messages[0]).toMatch(/^Unknown column\(s\) "Salary"; known columns are fullName \(or name, or firstName and lastName\), email/);
    expect(await findByName('Not Saved')).toBeUndefined();
  });

  it('skips (but counts) Excel\'s empty rows and trailing empty cells, and still fails a row with values past the header', async () => {
    const csv = ['name,email,city', 'Ada Lovelace,ada@example.com,London,', ',,', ' , , ', ',', 'Extra Cells,extra@example.com,Lund,surplus', ''].join('\r\n');

    const response = await importCsv(csv).expect(200);

    expect(response.body).toMatchObject({
      created: 1, updated: 0, failed: 1, errorsTruncated: false,
      // The row number is the spreadsheet's: the three empty rows above count.
      errors: [{ row: 5, field: 'row', message: 'row has 4 cells; the header has 3' }],
    });
    expect(await findByName('Ada Lovelace')).toMatchObject({ email: 'ada@example.com', city: 'London' });
  });

  it('reads skill levels written `name (4)` or `name=4`, and comma-separated skills and tags', async () => {
    const csv = [
      'name,email,skills,tags',
      'Linnea Berg,linnea@example.com,"TypeScript (4), Postgres, k8s","backend, frontend"',
      'Nils Holm,nils@example.com,typescript=4;go=2,remote',
    ].join('\n');

    expect((await importCsv(csv).expect(200)).body).toMatchObject({ created: 2, failed: 0 });

    const linnea = await findByName('Linnea Berg');
    expect(linnea.skills).toEqual(expect.arrayContaining([
      { name: 'typescript', level: 4 }, { name: 'postgresql', level: null }, { name: 'kubernetes', level: null },
    ]));
    expect(linnea.skills).toHaveLength(3);
    expect(linnea.tags).toEqual(['backend', 'frontend']);
    expect((await findByName('Nils Holm')).skills).toEqual([{ name: 'typescript', level: 4 }, { name: 'go', level: 2 }]);
  });

  it('takes empty strings in JSON lines as not given, like null and an empty CSV cell', async () => {
    await suite.sut.http().post('/api/v1/candidates').set(suite.recruiter).send({
      fullName: 'Karin Lund', email: 'karin@example.com', headline: 'Data engineer', phone: '+46 70 111 22 33',
      city: 'Uppsala', tags: ['data'],
    }).expect(201);

    const response = await jsonLines([
      { fullName: 'Karin Lund', email: 'karin@example.com', headline: '', phone: '', city: ' ', country: '', profileUrl: '', source: '', tags: [''] },
      { fullName: 'Olle Ny', email: 'olle@example.com', phone: '', skills: ['', 'go'], tags: ['', 'new'] },
    ]).expect(200);

    // Karin's row gives nothing new: what counts is that nothing failed and nothing stored was cleared.
    expect(response.body).toMatchObject({ created: 1, failed: 0, errors: [] });
    expect(await findByName('Karin Lund')).toMatchObject({
      headline: 'Data engineer', phone: '+46 70 111 22 33', city: 'Uppsala', tags: ['data'],
    });
    expect(await findByName('Olle Ny')).toMatchObject({ phone: null, tags: ['new'], skills: [{ name: 'go', level: null }] });
  });

  it('reads uploads sent with Content-Encoding gzip or deflate', async () => {
    const gzipped = await importCsv(gzipSync('fullName,email,city\nGun Zip,gun@example.com,Kiruna\n'), 'gzip').expect(200);
    const line = JSON.stringify({ fullName: 'De Flate', email: 'de@example.com' });
    const deflated = await upload('application/x-ndjson', deflateSync(line), 'deflate');

    expect(gzipped.body).toMatchObject({ created: 1, failed: 0 });
    expect(deflated.status).toBe(200);
    expect(deflated.body).toMatchObject({ created: 1, failed: 0 });
    expect(await findByName('Gun Zip')).toMatchObject({ email: 'gun@example.com', city: 'Kiruna' });
    expect(await findByName('De Flate')).toMatchObject({ email: 'de@example.com' });
  });

  it('answers 415 naming any other encoding, and 400 for a body that is not what it says', async () => {
    const brotli = expectProblem(await importCsv('fullName,email\nBr Otli,br@example.com\n', 'br'), 415);
    expect(brotli.detail).toBe('Send the file uncompressed or with Content-Encoding gzip or deflate, not "br".');

    const notGzip = expectProblem(await importCsv('fullName,email\nNot Zipped,notzipped@example.com\n', 'gzip'), 400, ['body']);
    expect(notGzip.errors[0].messages[0]).toMatch(/^The upload is not valid gzip/);
    expect(await findByName('Br Otli')).toBeUndefined();
    expect(await findByName('Not Zipped')).toBeUndefined();
  });

  it('stops a gzip bomb with 413, keeping the rows before it', async () => {
    // 2,000 real rows, then 20 MB of blank lines (past the 16 MB a compressed file may always inflate to): ~40 kB compressed.
    const rows = Array.from({ length: 2_000 }, (_, i) => `Bomb ${i},bomb${i}@example.com`).join('\n');
    const bomb = gzipSync(Buffer.concat([Buffer.from(`fullName,email\n${rows}\n`), Buffer.alloc(20 * 1024 * 1024, '\n')]));

    const response = await importCsv(bomb, 'gzip');

    const problem = expectProblem(response, 413);
    expect(problem.detail).toContain('decompresses to more than 100 times its compressed size');
    expect(problem.imported).toMatchObject({ created: 2_000, updated: 0, unchanged: 0, failed: 0 });
    expect(await findByName('Bomb 1999')).toMatchObject({ email: 'bomb1999@example.com' });
  });
});
