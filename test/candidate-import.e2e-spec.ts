import { once } from 'node:events';
import type { Server } from 'node:http';
import { AddressInfo, connect } from 'node:net';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { UPLOAD_TIMEOUT_MS } from '../src/bootstrap';
import { skillKeysOf } from '../src/candidate/candidate-skill-writer';
import { CandidateImportService, IMPORT_BATCH_SIZE } from '../src/candidate/import/candidate-import.service';
import { expectProblem } from './support/problem';
import { importSuite } from './support/import-api';
import { SuppressionService } from '../src/email/suppression.service';

const IMPORT = '/api/v1/candidates/import';

/** Resolves once some session of the database waits for a lock. */
async function waitForLockWait(client: Client): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const { rows } = await client.query(`SELECT count(*)::int AS waiting FROM pg_locks WHERE NOT granted`);
    if (rows[0].waiting > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('Nothing came to wait for a lock within 5 s');
}

describe(CandidateImportService.name, () => {
  const suite = importSuite();
  const { importCsv, importJsonLines, findByName } = suite;

  it('imports the good rows of a CSV and lists why each bad row failed', async () => {
    const response = await importCsv(
      [
        'Name,email,country,city,skills,tags,source,headline',
        'Ada Lovelace,ada@example.com,se,Stockholm,"typescript:4;JS:4;postgres","Remote; Senior",referral,Analyst',
        'Bad Email,not-an-email,SE,,,,,',
        'Bad Country,country@example.com,Sweden,,,,,',
        'Bad Level,level@example.com,SE,,go:9,,,',
        'Grace Hopper,grace@example.com,US,,cobol:5,,,',
      ].join('\r\n'),
    ).expect(200);

    expect(response.body).toEqual({
      created: 2,
      updated: 0,
      unchanged: 0,
      failed: 3,
      errorsTruncated: false,
      errors: [
        { row: 2, field: 'email', message: 'email must be an email address' },
        { row: 3, field: 'country', message: 'country must be an ISO 3166-1 alpha-2 code such as SE (GB for the United Kingdom)' },
        { row: 4, field: 'skills.0.level', message: 'level must not be greater than 5' },
      ],
    });
    const bySkill = await suite.sut.http().get('/api/v1/candidates').query({ skills: 'javascript' }).set(suite.recruiter).expect(200);
    expect(bySkill.body.items.map((item: { email: string }) => item.email)).toEqual(['ada@example.com']);
    const ada = await suite.sut.http().get(`/api/v1/candidates/${bySkill.body.items[0].id}`).set(suite.recruiter).expect(200);
    expect(ada.body).toMatchObject({
      fullName: 'Ada Lovelace',
      country: 'SE',
      city: 'Stockholm',
      headline: 'Analyst',
      source: 'referral',
      tags: ['remote', 'senior'],
      status: 'active',
      timeZone: 'Europe/Stockholm',
      locale: 'en',
      createdAt: suite.sut.clock.now().toISOString(),
    });
    expect(ada.body.skills).toEqual([
      { name: 'javascript', level: 4 },
      { name: 'typescript', level: 4 },
      { name: 'postgresql', level: null },
    ]);
    expect(await findByName('Bad Level')).toBeUndefined();
    // The import writes the search keys with the new rows (so they are not rewritten): the same keys the
    // database derives from the stored skills.
    const db = suite.sut.app.get(DataSource);
    const stored: { skill_id: number; level: number | null }[] = await db.query(
      `SELECT skill_id, level FROM candidate_skill WHERE candidate_id = $1`, [ada.body.id],
    );
    const [{ skill_keys: keys }] = await db.query(`SELECT skill_keys FROM candidate WHERE id = $1`, [ada.body.id]);
    expect(skillKeysOf(stored.map((row) => ({ skillId: row.skill_id, level: row.level })))).toEqual(keys);
    const [{ stale }] = await db.query(
      `SELECT count(*)::int AS stale FROM candidate WHERE skill_keys IS DISTINCT FROM candidate_skill_keys(id)`,
    );
    expect(stale).toBe(0);
  });

  it('updates a candidate matched by email in any case and keeps what the file leaves out', async () => {
    const created = await suite.sut.http().post('/api/v1/candidates').set(suite.recruiter).send({
      fullName: 'Linus T', email: 'linus@example.com', phone: '+46 70 123 45 67', city: 'Helsinki',
      timeZone: 'Europe/Helsinki', locale: 'sv', tags: ['kernel'], skills: [{ name: 'c', level: 5 }],
    }).expect(201);
    suite.sut.clock.advance(60_000);

    const response = await importCsv('full_name,email,headline,city\nLinus Torvalds,LINUS@Example.COM,Maintainer,\nNew Person,new-person@example.com,,\n')
      .expect(200);

    expect(response.body).toMatchObject({ created: 1, updated: 1, failed: 0, errors: [] });
    // Audited like edits through the API: who, which fields (never their values), and that it came by import.
    const trail = async (candidateId: string) =>
      (await suite.sut.http().get(`/api/v1/audit?candidateId=${candidateId}`).set(suite.sut.admin).expect(200)).body.items;
    expect((await trail(created.body.id))[0]).toMatchObject({
      action: 'candidate_updated', actor: { role: 'recruiter' }, details: { fields: ['email', 'fullName', 'headline'], via: 'import' },
    });
    const newcomer = await findByName('New Person');
    expect(await trail(newcomer.id)).toMatchObject([{ action: 'candidate_created', details: { fields: ['email', 'fullName'], via: 'import' } }]);
    const linus = await suite.sut.http().get(`/api/v1/candidates/${created.body.id}`).set(suite.recruiter).expect(200);
    expect(linus.body).toMatchObject({
      fullName: 'Linus Torvalds', email: 'linus@example.com', headline: 'Maintainer', phone: '+46 70 123 45 67',
      city: 'Helsinki', timeZone: 'Europe/Helsinki', locale: 'sv', tags: ['kernel'], skills: [{ name: 'c', level: 5 }],
      updatedAt: suite.sut.clock.now().toISOString(),
    });
  });

  it('matches an email pasted with a zero-width space or a full-width letter to the person already stored', async () => {
    await importCsv('fullName,email\nPasted Person,pasted-import@example.com\n').expect(200);
    const again = await importJsonLines([
      JSON.stringify({ fullName: 'Pasted Person', email: '\u200bpasted-import@example.com', city: 'Luleå' }),
      JSON.stringify({ fullName: 'Pasted Person', email: '\uff50asted-import@example.com\u200b', headline: 'Still here' }),
    ]).expect(200);
    expect(again.body).toMatchObject({ created: 0, updated: 2, failed: 0 });
    expect(await findByName('Pasted Person')).toMatchObject({ email: 'pasted-import@example.com', city: 'Luleå', headline: 'Still here' });
  });

  it('leaves a person whose row changes nothing as they were, "last updated" included, and counts them apart', async () => {
    const file = 'fullName,email,city,tags,skills\nSame Again,same-again@example.com,Kiruna,backend,go:4;rust\n';
    await importCsv(file).expect(200);
    const before = await findByName('Same Again');
    const audited = async () => (await suite.sut.http().get(`/api/v1/audit?candidateId=${before.id}`).set(suite.sut.admin).expect(200)).body.items.length;
    const entries = await audited();
    suite.sut.clock.advance(3_600_000);

    // The same file again (an old export re-imported): nothing to write, nothing to audit, search order untouched.
    expect((await importCsv(file).expect(200)).body).toMatchObject({ created: 0, updated: 0, unchanged: 1, failed: 0 });
    expect(await findByName('Same Again')).toEqual(before);
    expect(await audited()).toBe(entries);

    // A new level is a change, even with every other field the same.
    expect((await importCsv(file.replace('go:4', 'go:5')).expect(200)).body).toMatchObject({ updated: 1, unchanged: 0 });
    expect(await findByName('Same Again')).toMatchObject({
      skills: [{ name: 'go', level: 5 }, { name: 'rust', level: null }], updatedAt: suite.sut.clock.now().toISOString(),
    });
  });

  it('does not bring back a person whose erasure commits while the import waits for their row', async () => {
    await importCsv('fullName,email,city\nErased Meanwhile,erased-meanwhile@example.com,Gotland\n').expect(200);
    const person = await findByName('Erased Meanwhile');
    // What an erasure on another instance does, held open: the person locked, their address suppressed, the row deleted.
    const eraser = new Client({ connectionString: suite.sut.databaseUrl });
    await eraser.connect();
    try {
      await eraser.query('BEGIN');
      await eraser.query('SELECT 1 FROM candidate WHERE id = $1 FOR UPDATE', [person.id]);
      await eraser.query(`INSERT INTO suppression (address_hash, reason) VALUES ($1, 'erased')`,
        [suite.sut.app.get(SuppressionService).hashOf('erased-meanwhile@example.com')]);
      await eraser.query('DELETE FROM candidate WHERE id = $1', [person.id]);
      const imported = importCsv('fullName,email,city\nErased Meanwhile,erased-meanwhile@example.com,Gotland\n').then((response) => response);
      await waitForLockWait(eraser);
      await eraser.query('COMMIT');

      const response = await imported;
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ created: 0, failed: 1, errors: [{ row: 1, field: 'email' }] });
    } finally {
      await eraser.end();
    }
    expect(await findByName('Erased Meanwhile')).toBeUndefined();
  });

  it('keeps the stored level of a skill a file names without one (a LinkedIn export has no levels)', async () => {
    await importCsv('fullName,email,skills\nLevel Kept,level-kept@example.com,typescript:5;go:4\n').expect(200);
    const noLevels = 'fullName,email,skills\nLevel Kept,level-kept@example.com,TypeScript;Go;Rust\n';
    expect((await importCsv(noLevels).expect(200)).body).toMatchObject({ updated: 1 });
    expect((await findByName('Level Kept')).skills).toEqual([
      { name: 'typescript', level: 5 }, { name: 'go', level: 4 }, { name: 'rust', level: null },
    ]);
    expect((await importCsv(noLevels).expect(200)).body).toMatchObject({ updated: 0, unchanged: 1 });
    // JSON lines can say a level is unknown: null clears it.
    await importJsonLines([JSON.stringify({ fullName: 'Level Kept', email: 'level-kept@example.com', skills: [{ name: 'go', level: null }, 'typescript'] })])
      .expect(200);
    expect((await findByName('Level Kept')).skills).toEqual([{ name: 'typescript', level: 5 }, { name: 'go', level: null }]);
  });

  it('does not bring back an erased person, unless they were added again since', async () => {
    const file = 'fullName,email,city\nErased Once,erased-once@example.com,Visby\nKept Along,kept-along@example.com,Visby\n';
    await importCsv(file).expect(200);
    await suite.sut.http().delete(`/api/v1/candidates/${(await findByName('Erased Once')).id}`).set(suite.sut.admin).expect(204);

    const again = await importCsv(file).expect(200);
    expect(again.body).toMatchObject({
      created: 0, unchanged: 1, failed: 1,
      errors: [{ row: 1, field: 'email', message: expect.stringMatching(/^belongs to a person erased from the pool/) }],
    });
    expect(await findByName('Erased Once')).toBeUndefined();

    // They came back of their own accord and were added by hand: from then on the import updates them as anyone.
    await suite.sut.http().post('/api/v1/candidates').set(suite.recruiter).send({ fullName: 'Erased Once', email: 'erased-once@example.com' }).expect(201);
    expect((await importCsv(file).expect(200)).body).toMatchObject({ updated: 1, unchanged: 1, failed: 0 });
    expect(await findByName('Erased Once')).toMatchObject({ city: 'Visby' });
  });

  it('lets the later of two rows with the same email win, counting one create and one update', async () => {
    const response = await importCsv(
      'fullName,email,city,tags\nFirst Spelling,twice@example.com,Lund,early\nSecond Spelling,TWICE@example.com,,late\n',
    ).expect(200);

    expect(response.body).toMatchObject({ created: 1, updated: 1, failed: 0 });
    expect(await findByName('Second Spelling')).toMatchObject({ email: 'twice@example.com', city: 'Lund', tags: ['late'] });
    expect(await findByName('First Spelling')).toBeUndefined();
  });

  it('imports JSON lines, skipping blank lines and reporting lines that are not JSON by line number', async () => {
    const response = await importJsonLines([
      JSON.stringify({ fullName: 'Margaret Hamilton', email: 'margaret@example.com', skills: ['Assembly', { name: 'JS', level: 2 }] }),
      '',
      '{"fullName": "Broken",',
      JSON.stringify({ fullName: 'Linus Torvalds', email: 'linus@example.com', tags: ['git'], locale: 'en', timeZone: null, phone: null }),
      JSON.stringify({ fullName: 'Extra', email: 'extra@example.com', salary: 100 }),
      JSON.stringify({ fullName: 'Nul', email: 'nul@example.com', city: 'Lu\u0000nd' }),
    ]).expect(200);

    expect(response.body).toEqual({
      created: 1,
      updated: 1,
      unchanged: 0,
      failed: 3,
      errorsTruncated: false,
      errors: [
        { row: 3, field: 'row', message: 'line is not valid JSON' },
        { row: 5, field: 'salary', message: 'property salary should not exist' },
        { row: 6, field: 'city', message: 'city must not contain the NUL character (U+0000)' },
      ],
    });
    expect(await findByName('Margaret Hamilton')).toMatchObject({
      skills: [{ name: 'javascript', level: 2 }, { name: 'assembly', level: null }],
    });
    expect(await findByName('Linus Torvalds')).toMatchObject({
      tags: ['git'], locale: 'en', timeZone: 'Europe/Helsinki', phone: '+46 70 123 45 67', skills: [{ name: 'c', level: 5 }],
    });
  });

  it('reports rows the database could not store, or no code could read, as row errors and imports the rest', async () => {
    // 20,000 levels of nested arrays: too deep for JSON.stringify here, and for any recursive check in the app.
    const deep = `${'['.repeat(20_000)}"x"${']'.repeat(20_000)}`;
    const response = await importJsonLines([
      JSON.stringify({ fullName: 'Before Deep', email: 'before-deep@example.com' }),
      `{"fullName": "Deep", "email": "deep@example.com", "tags": ${deep}}`,
      '{"fullName": "Sur \\ud800 Rogate", "email": "surrogate@example.com"}',
      JSON.stringify({ fullName: 'Long Phone', email: 'long-phone@example.com', phone: `+${'1'.repeat(40)}` }),
      JSON.stringify({ fullName: 'After Deep', email: 'after-deep@example.com' }),
    ]).expect(200);
    expect(response.body).toMatchObject({ created: 2, failed: 3 });
    expect(response.body.errors).toEqual([
      { row: 2, field: expect.stringMatching(/^tags(\.0)+$/), message: expect.stringContaining('is nested more than 32 levels deep') },
      { row: 3, field: 'fullName', message: 'fullName must not contain an unpaired surrogate (invalid Unicode)' },
      { row: 4, field: 'phone', message: 'phone must be shorter than or equal to 40 characters' },
    ]);
    expect(await findByName('After Deep')).toBeDefined();
  });

  it('keeps every row that arrived whole when the upload breaks off', async () => {
    const server = suite.sut.app.getHttpServer() as Server;
    // A large file arrives only as fast as the database takes its rows: longer than Node's default 5 minutes is allowed.
    expect(server.requestTimeout).toBe(UPLOAD_TIMEOUT_MS);
    if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const socket = connect((server.address() as AddressInfo).port, '127.0.0.1');
    await once(socket, 'connect');
    // More than one batch of whole rows, then half a row, and the connection drops.
    const body = `fullName,email\n${Array.from({ length: 1_200 }, (_, i) => `Dropped ${i},dropped${i}@example.com\n`).join('')}Half Ro`;
    socket.write(
      `POST ${IMPORT} HTTP/1.1\r\nHost: localhost\r\nAuthorization: ${suite.recruiter.Authorization}\r\n` +
        `Content-Type: text/csv\r\nContent-Length: ${Buffer.byteLength(body) + 1_000}\r\n\r\n${body}`,
    );
    const db = suite.sut.app.get(DataSource);
    const stored = async () => (await db.query(`SELECT count(*)::int AS n FROM candidate WHERE email LIKE 'dropped%@example.com'`))[0].n;
    // Once the first batch is in, the server has read the rest of what was sent: now the connection drops.
    for (let i = 0; i < 200 && (await stored()) < 1_000; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    socket.destroy();
    for (let i = 0; i < 100 && (await stored()) < 1_200; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await stored()).toBe(1_200);
  });

  it('refuses a file declared in another charset, and names rows whose bytes are not UTF-8', async () => {
    const latin1 = Buffer.from('fullName,email,city\n\u00c5sa \u00d6berg,asa@example.com,G\u00f6teborg\n', 'latin1');
    const declared = await suite.sut.http().post(IMPORT).set(suite.recruiter).set('Content-Type', 'text/csv; charset=windows-1252').send(latin1);
    expect(expectProblem(declared, 415).detail).toBe('Send the file in UTF-8 (charset=utf-8), not windows-1252.');
    const undeclared = await suite.sut.http().post(IMPORT).set(suite.recruiter).set('Content-Type', 'text/csv').send(latin1).expect(200);
    expect(undeclared.body).toMatchObject({
      created: 0, failed: 1, errors: [{ row: 1, field: 'row', message: 'row is not valid UTF-8 (save the file as UTF-8)' }],
    });
    const utf8 = await suite.sut.http().post(IMPORT).set(suite.recruiter).set('Content-Type', 'text/csv; charset=UTF-8')
      .send(Buffer.from(latin1.toString('latin1'), 'utf8')).expect(200);
    expect(utf8.body).toMatchObject({ created: 1, failed: 0 });
    expect(await findByName('Åsa Öberg')).toMatchObject({ city: 'Göteborg' });
  });

  it('saves the rest of a batch when the database refuses one row that passed validation', async () => {
    // Validation now catches everything the schema checks, so the refusal is staged with a constraint of the test's own.
    const db = suite.sut.app.get(DataSource);
    await db.query(`ALTER TABLE candidate ADD CONSTRAINT test_refuses_odd CHECK (full_name <> 'Odd Skill') NOT VALID`);
    const response = await Promise.resolve(importCsv(
      `fullName,email,skills\nOk Before,before@example.com,go\nOdd Skill,odd@example.com,scala\nOk After,after@example.com,rust\n`,
    ).expect(200)).finally(() => db.query(`ALTER TABLE candidate DROP CONSTRAINT test_refuses_odd`));

    expect(response.body).toMatchObject({
      created: 2, failed: 1, errors: [{ row: 2, field: 'row', message: expect.stringContaining('could not be saved') }],
    });
    expect(await findByName('Ok After')).toMatchObject({ skills: [{ name: 'rust', level: null }] });
    expect(await findByName('Odd Skill')).toBeUndefined();
  });

  it('blames only the row that brought a refused value when rows for one email were merged', async () => {
    const db = suite.sut.app.get(DataSource);
    await db.query(`ALTER TABLE candidate ADD CONSTRAINT test_refuses_headline CHECK (headline IS DISTINCT FROM 'Refused') NOT VALID`);
    const response = await Promise.resolve(importCsv(
      'fullName,email,headline,city\nMerged Once,merged@example.com,Refused,\nMerged Twice,MERGED@example.com,,Umeå\n',
    ).expect(200)).finally(() => db.query(`ALTER TABLE candidate DROP CONSTRAINT test_refuses_headline`));

    expect(response.body).toMatchObject({
      created: 1, updated: 0, failed: 1, errors: [{ row: 1, field: 'row', message: expect.stringContaining('could not be saved') }],
    });
    expect(await findByName('Merged Twice')).toMatchObject({ email: 'MERGED@example.com', city: 'Umeå', headline: null });
  });

  it('writes a batch again when the database broke a deadlock with another writer by aborting it', async () => {
    await importCsv('fullName,email,headline\nLock First,lock-a@example.com,Before\nLock Second,lock-b@example.com,Before\n').expect(200);
    // Another writer (an erasure, say) that takes the same two people in the other order than the import
    // does (by email). Its own deadlock check is slowed, so PostgreSQL breaks the cycle on the import's side.
    const rival = new Client({ connectionString: suite.sut.databaseUrl });
    await rival.connect();
    try {
      await rival.query(`SET deadlock_timeout = '10s'`);
      await rival.query('BEGIN');
      await rival.query(`UPDATE candidate SET headline = 'Rival' WHERE email = 'lock-b@example.com'`);
      const imported = importCsv('fullName,email,headline\nLock First,lock-a@example.com,Imported\nLock Second,lock-b@example.com,Imported\n')
        .then((response) => response);
      await waitForLockWait(rival);
      // The import holds the first person and waits for the second; now the rival asks for the first.
      await rival.query(`UPDATE candidate SET headline = 'Rival' WHERE email = 'lock-a@example.com'`);
      await rival.query('COMMIT');

      const response = await imported;
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ created: 0, updated: 2, failed: 0, errors: [] });
    } finally {
      await rival.end();
    }
    expect(await findByName('Lock First')).toMatchObject({ headline: 'Imported' });
    expect(await findByName('Lock Second')).toMatchObject({ headline: 'Imported' });
  });

  it('lists the problems of the first rows of the file, even when a database refusal is found after later rows failed', async () => {
    const db = suite.sut.app.get(DataSource);
    await db.query(`ALTER TABLE candidate ADD CONSTRAINT test_refuses_early CHECK (full_name <> 'Refused Early') NOT VALID`);
    // Row 1 is refused when its batch is written, while the 1,200 invalid rows after the batch are being validated.
    const valid = Array.from({ length: IMPORT_BATCH_SIZE - 1 }, (_, i) => `Early Ok ${i},early${i}@example.com`);
    const invalid = Array.from({ length: 1200 }, (_, i) => `Early Bad ${i},not-an-email-${i}`);
    const response = await Promise.resolve(importCsv(['fullName,email', 'Refused Early,refused.early@example.com', ...valid, ...invalid].join('\n'))
      .expect(200)).finally(() => db.query(`ALTER TABLE candidate DROP CONSTRAINT test_refuses_early`));

    expect(response.body).toMatchObject({ created: IMPORT_BATCH_SIZE - 1, failed: 1201, errorsTruncated: true });
    expect(response.body.errors).toHaveLength(1000);
    expect(response.body.errors[0]).toEqual({ row: 1, field: 'row', message: expect.stringContaining('could not be saved') });
    expect(response.body.errors[999]).toMatchObject({ row: IMPORT_BATCH_SIZE + 999, field: 'email' });
  });

  it('counts every failure across batches but lists at most 1000', async () => {
    const rows = Array.from({ length: 2500 }, (_, i) =>
      i % 2 === 0 ? `Bulk ${i},bulk${i}@example.com` : `Bulk ${i},not-an-email-${i}`,
    );
    const response = await importCsv(['fullName,email', ...rows].join('\n')).expect(200);

    expect(response.body).toMatchObject({ created: 1250, updated: 0, failed: 1250, errorsTruncated: true });
    expect(response.body.errors).toHaveLength(1000);
    expect(response.body.errors[0]).toEqual({ row: 2, field: 'email', message: 'email must be an email address' });
    expect(await findByName('Bulk 2498')).toMatchObject({ email: 'bulk2498@example.com' });
  });

  it('applies rows in file order across batches, so the last row for an email wins', async () => {
    const rows = Array.from({ length: 2001 }, (_, i) => `Order ${i},order${i}@example.com,City ${i}`);
    for (const i of [1499, 2000]) rows[i] = `Order Last ${i},ORDER0@example.com,City ${i}`;
    const response = await importCsv(['fullName,email,city', ...rows].join('\n')).expect(200);

    expect(response.body).toMatchObject({ created: 1999, updated: 2, failed: 0 });
    expect(await findByName('Order Last 2000')).toMatchObject({ email: 'order0@example.com', city: 'City 2000' });
  });

  it('keeps the rows before a CSV syntax error and says where reading stopped', async () => {
    const response = await importCsv('fullName,email\nBefore Break,break1@example.com\nBroken,"break2@example.com\nAfter Break,break3@example.com\n');

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      created: 1, failed: 1, errors: [{ row: 2, field: 'row', message: expect.stringContaining('later rows were not imported') }],
    });
    expect(await findByName('Before Break')).toBeDefined();
    expect(await findByName('After Break')).toBeUndefined();
  });

  it('accepts application/jsonl as JSON lines', async () => {
    const line = JSON.stringify({ fullName: 'Katherine Johnson', email: 'katherine@example.com', country: 'US' });
    const response = await suite.sut.http().post(IMPORT).set(suite.recruiter).set('Content-Type', 'application/jsonl').send(`${line}\n`).expect(200);

    expect(response.body).toMatchObject({ created: 1, failed: 0 });
  });

  it('rejects a CSV with an unknown column before importing anything', async () => {
    const body = expectProblem(await importCsv('fullName,email,salary\nNot Saved,notsaved@example.com,1\n'), 400, ['columns']);

    expect(body.errors[0].messages[0]).toContain('"salary"');
    expect(await findByName('Not Saved')).toBeUndefined();
  });

  it('answers 415 for other content types and 403 for a viewer key', async () => {
    const json = await suite.sut.http().post(IMPORT).set(suite.recruiter).send({ fullName: 'A', email: 'a@example.com' });
    expectProblem(json, 415);
    expectProblem(await suite.sut.http().post(IMPORT).set(suite.recruiter).set('Content-Type', 'text/plain').send('fullName,email\n'), 415);
    // A CSV labelled JSON: the JSON parser had read it first and answered 400 "could not be parsed as JSON".
    const mislabelled = await suite.sut.http().post(IMPORT).set(suite.recruiter).set('Content-Type', 'application/json').send('fullName,email\nA,a@example.com\n');
    expect(expectProblem(mislabelled, 415).detail).toMatch(/text\/csv/);
    const viewer = await suite.sut.keyFor('viewer');
    expectProblem(await suite.sut.http().post(IMPORT).set(viewer).set('Content-Type', 'text/csv').send('fullName,email\n'), 403);
  });

  it('is documented in OpenAPI with both content types', async () => {
    const doc = await suite.sut.http().get('/docs-json').expect(200);
    const operation = doc.body.paths[IMPORT].post;
    expect(Object.keys(operation.requestBody.content)).toEqual(['text/csv', 'application/x-ndjson']);
    expect(operation.tags).toEqual(['candidates']);
  });
});
