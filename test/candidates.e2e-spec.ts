import { plainToInstance } from 'class-transformer';
import { DataSource } from 'typeorm';
import { SearchCandidatesQuery } from '../src/candidate/dto/search-candidates.query';
import { rankCandidates } from '../src/candidate/search/candidate-ranking';
import { searchFilters } from '../src/candidate/search/search-filters';
import { pairKey } from '../src/candidate/search/skill-keys';
import { AppConfig } from '../src/config/app-config';
import { OutboxService } from '../src/email/outbox.service';
import { expectProblem } from './support/problem';
import { startTestApp, TestApp } from './support/test-app';

interface Hit {
  id: string;
  fullName: string;
  matchedSkills: string[];
}

describe('CandidateController', () => {
  let sut: TestApp;
  beforeAll(async () => {
    sut = await startTestApp();
  });
  afterAll(() => sut.close());

  const create = (body: Record<string, unknown>) =>
    sut.http().post('/api/v1/candidates').set(sut.admin).send(body);
  const search = async (query: string): Promise<Hit[]> =>
    (await sut.http().get(`/api/v1/candidates?${query}`).set(sut.admin).expect(200)).body.items;
  const names = (hits: Hit[]) => hits.map((hit) => hit.fullName);

  describe('create, read, update, delete', () => {
    it('creates a candidate with defaults and canonical skills', async () => {
      const response = await create({
        fullName: '  Greta Garbo ',
        email: 'Greta@Example.com',
        city: 'Stockholm',
        country: 'se',
        skills: [{ name: 'JS', level: 4 }, { name: 'Postgres' }, { name: 'k8s', level: 2 }, { name: 'javascript', level: 5 }],
        tags: ['Backend', 'backend ', 'remote'],
      }).expect(201);
      expect(response.body).toMatchObject({
        fullName: 'Greta Garbo',
        email: 'Greta@Example.com',
        country: 'SE',
        timeZone: 'Europe/Stockholm',
        locale: 'en',
        status: 'active',
        tags: ['backend', 'remote'],
        consent: { state: 'none', validUntil: null },
      });
      expect(response.body.skills).toEqual([
        { name: 'javascript', level: 5 },
        { name: 'kubernetes', level: 2 },
        { name: 'postgresql', level: null },
      ]);
    });

    it('answers 409 with the existing id for a duplicate email in any case', async () => {
      const first = await create({ fullName: 'Dup One', email: 'dup@example.com' }).expect(201);
      const second = expectProblem(await create({ fullName: 'Dup Two', email: 'DUP@example.COM' }), 409);
      expect(second.existingId).toBe(first.body.id);
    });

    it('takes an email pasted with invisible characters or full-width letters as the same address', async () => {
      const first = await create({ fullName: 'Paste One', email: 'pasted@example.com' }).expect(201);
      // A zero-width space from a LinkedIn profile, a BOM, a direction mark, a full-width o.
      for (const email of ['\u200bpasted@example.com', 'pasted@example.com\ufeff', 'pas\u200eted@example.com', '\uff50asted@example.com']) {
        expect(expectProblem(await create({ fullName: 'Paste Two', email }), 409).existingId).toBe(first.body.id);
      }
      const stored = await create({ fullName: 'Paste Three', email: ' \u200bpasted-three@example.com\u200d' }).expect(201);
      expect(stored.body.email).toBe('pasted-three@example.com');
    });

    it('validates fields and refuses status and consent fields', async () => {
      expectProblem(
        await create({ fullName: 'X', email: 'x@example.com', country: 'Sweden', timeZone: 'Mars/Base', locale: 'de' }),
        400,
        ['country', 'timeZone', 'locale'],
      );
      // Node still knows this retired name; PostgreSQL does not, and every statement converting with it would fail.
      expectProblem(await create({ fullName: 'X', email: 'x@example.com', timeZone: 'US/Pacific-New' }), 400, ['timeZone']);
      await create({ fullName: 'Zone Ok', email: 'zone-ok@example.com', timeZone: 'america/los_angeles' }).expect(201);
      expectProblem(await create({ fullName: 'X', email: 'x@example.com', status: 'hired' }), 400, ['status']);
      expectProblem(await create({ fullName: 'X', email: 'x@example.com', consentExpiresAt: '2030-01-01' }), 400, ['consentExpiresAt']);
      expectProblem(await create({ fullName: 'X', email: 'x@example.com', skills: [{ name: 'go', level: 9 }] }), 400, ['skills.0.level']);
      // A name of invisible characters passed the length check and greeted "Hi ,".
      for (const fullName of ['\u200b\u200b\u200d', '\u3164', '\u2800\u034f']) {
        expectProblem(await create({ fullName, email: 'x@example.com' }), 400, ['fullName']);
      }
      // A charset the parser cannot read is the body's media type, not a field.
      expectProblem(await sut.http().post('/api/v1/candidates').set(sut.admin).set('Content-Type', 'application/json; charset=windows-1252')
        .send('{"fullName":"X","email":"x@example.com"}'), 415);
      // A level written into the name made skills named "kafka 3" and "rust 2".
      const levelInName = expectProblem(
        await create({ fullName: 'X', email: 'x@example.com', skills: [{ name: 'kafka:3' }, { name: 'go' }, { name: 'rust (2)' }] }),
        400, ['skills.0.name', 'skills.2.name'],
      );
      expect(levelInName.errors.map((error: { field: string }) => error.field)).toEqual(['skills.0.name', 'skills.2.name']);
      // Two letters are not yet a country: UK is GB, and EU and XX are none. A phone needs digits.
      for (const country of ['UK', 'eu', 'XX']) expectProblem(await create({ fullName: 'X', email: 'x@example.com', country }), 400, ['country']);
      for (const phone of ['------', '.....', '(+) / -']) expectProblem(await create({ fullName: 'X', email: 'x@example.com', phone }), 400, ['phone']);
      expectProblem(await sut.http().get('/api/v1/candidates?country=UK').set(sut.admin), 400, ['country']);
      // One-line fields: a pasted line break would split the greeting of every email to them.
      expectProblem(
        await create({ fullName: 'Ann\nLind', email: 'ann@example.com', city: 'Malm\u00f6\rC', headline: 'Dev\u0007', source: 'a\tb' }),
        400,
        ['fullName', 'city', 'headline', 'source'],
      );
    });

    it('keeps a phone number pasted with no-break or thin spaces, with plain spaces', async () => {
      await create({ fullName: 'Kosovo Person', email: 'kosovo@example.com', country: 'xk' }).expect(201);
      const created = await create({ fullName: 'Nbsp Phone', email: 'nbsp-phone@example.com', phone: '+46\u00a070\u202f123\u200945\u00a0\u00a067', country: 'gb' })
        .expect(201);
      expect(created.body).toMatchObject({ phone: '+46 70 123 45 67', country: 'GB' });
    });

    it('stores tags that read the same as one tag, and finds them however they are spelled', async () => {
      const created = await create({
        fullName: 'Tag Forms', email: 'tag-forms@example.com', tags: ['Café', 'Cafe\u0301', 'senior  dev', ' Senior\u00a0Dev', 're\u200bmote'],
      }).expect(201);
      expect(created.body.tags).toEqual(['café', 'senior dev', 'remote']);
      const found = await sut.http().get('/api/v1/candidates').query({ tags: 'CAFE\u0301,senior   dev' }).set(sut.admin).expect(200);
      expect(found.body.items.map((item: { id: string }) => item.id)).toEqual([created.body.id]);
    });

    it('updates a candidate, replacing skills and allowing only recruiter-owned statuses', async () => {
      const { body } = await create({ fullName: 'Up Date', email: 'update@example.com', phone: '+46 70 123 45 67', skills: [{ name: 'go' }] });
      const updated = await sut.http().patch(`/api/v1/candidates/${body.id}`).set(sut.admin)
        .send({ headline: 'Platform engineer', phone: null, skills: [{ name: 'golang', level: 3 }, { name: 'Rust' }], status: 'archived' })
        .expect(200);
      expect(updated.body).toMatchObject({ headline: 'Platform engineer', phone: null, status: 'archived', fullName: 'Up Date' });
      expect(updated.body.skills).toEqual([{ name: 'go', level: 3 }, { name: 'rust', level: null }]);
      expectProblem(await sut.http().patch(`/api/v1/candidates/${body.id}`).set(sut.admin).send({ status: 'opted_out' }), 400, ['status']);
      expectProblem(await sut.http().patch(`/api/v1/candidates/${body.id}`).set(sut.admin).send({ email: 'greta@example.com' }), 409);
    });

    it('sends mail still waiting to the corrected address, not to the wrong one', async () => {
      const { body: person } = await create({ fullName: 'Wrong Address', email: 'wrong.address@example.com' }).expect(201);
      const [waiting] = await sut.app.get(OutboxService).enqueueForCandidates([
        { candidateId: person.id, templateKey: 'application_received', category: 'transactional', idempotencyKey: `readdress:${person.id}`,
          data: { vacancy: { title: 'Backend' }, decisionDate: '2027-01-27', recruiter: { name: 'Rita' } } },
      ]);
      await sut.http().patch(`/api/v1/candidates/${person.id}`).set(sut.admin).send({ email: 'right.address@example.com' }).expect(200);
      expect((await sut.http().get(`/api/v1/emails/${waiting.id}`).set(sut.admin).expect(200)).body)
        .toMatchObject({ toAddress: 'right.address@example.com' });
    });

    it('keeps the level of a skill named again without one, and clears it when the level is null', async () => {
      const { body } = await create({ fullName: 'Level Patch', email: 'level-patch@example.com', skills: [{ name: 'go', level: 4 }, { name: 'rust', level: 2 }] })
        .expect(201);
      const patch = (skills: unknown[]) => sut.http().patch(`/api/v1/candidates/${body.id}`).set(sut.admin).send({ skills }).expect(200);
      expect((await patch([{ name: 'Go' }, { name: 'rust', level: null }, { name: 'kafka' }])).body.skills).toEqual([
        { name: 'go', level: 4 }, { name: 'kafka', level: null }, { name: 'rust', level: null },
      ]);
    });

    it('deletes a candidate with their skills and consents', async () => {
      const { body } = await create({ fullName: 'Gone Soon', email: 'gone@example.com', skills: [{ name: 'cobol' }] });
      await sut.http().post(`/api/v1/candidates/${body.id}/consents`).set(sut.admin)
        .send({ scope: 'talent_pool', textVersion: 'v1', source: 'verbal' }).expect(201);
      await sut.http().delete(`/api/v1/candidates/${body.id}`).set(sut.admin).expect(204);
      expectProblem(await sut.http().get(`/api/v1/candidates/${body.id}`).set(sut.admin), 404);
      expectProblem(await sut.http().delete(`/api/v1/candidates/${body.id}`).set(sut.admin), 404);
      expect(await search('skills=cobol')).toEqual([]);
    });
  });

  describe('skills', () => {
    it('writes only the skills that changed: the same skills again touch no row, a change keeps the search keys exact', async () => {
      const db = sut.app.get(DataSource);
      const { body: person } = await create({
        fullName: 'Skill Keeper', email: 'skill-keeper@example.com',
        skills: [{ name: 'rust', level: 4 }, { name: 'go', level: 2 }, { name: 'sql' }],
      }).expect(201);
      const rows = () => db.query(
        `SELECT s.name, cs.level, cs.xmin::text AS version FROM candidate_skill cs JOIN skill s ON s.id = cs.skill_id
         WHERE cs.candidate_id = $1 ORDER BY s.name`, [person.id],
      ) as Promise<{ name: string; level: number | null; version: string }[]>;
      const before = await rows();

      await sut.http().patch(`/api/v1/candidates/${person.id}`).set(sut.admin)
        .send({ skills: [{ name: 'SQL' }, { name: 'Go', level: 2 }, { name: 'rust', level: 4 }] }).expect(200);
      expect(await rows()).toEqual(before);

      await sut.http().patch(`/api/v1/candidates/${person.id}`).set(sut.admin)
        .send({ skills: [{ name: 'go', level: 3 }, { name: 'sql' }, { name: 'kotlin', level: 1 }] }).expect(200);
      const after = await rows();
      expect(after.map(({ name, level }) => ({ name, level }))).toEqual([
        { name: 'go', level: 3 }, { name: 'kotlin', level: 1 }, { name: 'sql', level: null },
      ]);
      expect(after.find((row) => row.name === 'sql')!.version).toBe(before.find((row) => row.name === 'sql')!.version);
      const [{ stale }] = await db.query(
        `SELECT count(*)::int AS stale FROM candidate WHERE id = $1 AND skill_keys IS DISTINCT FROM candidate_skill_keys(id)`, [person.id],
      );
      expect(stale).toBe(0);
      expect(names(await search('skills=kotlin'))).toEqual(['Skill Keeper']);
      expect(await search('skills=rust&q=Skill%20Keeper')).toEqual([]);
    });

    it('keeps every pair of a candidate\'s skills as a search key, and finds "all of these" through them', async () => {
      const db = sut.app.get(DataSource);
      const { body: person } = await create({
        fullName: 'Pair Keeper', email: 'pair-keeper@example.com',
        skills: [{ name: 'ocaml', level: 4 }, { name: 'haskell' }, { name: 'coq', level: 2 }],
      }).expect(201);
      await sut.http().patch(`/api/v1/candidates/${person.id}`).set(sut.admin)
        .send({ skills: [{ name: 'haskell' }, { name: 'coq', level: 3 }, { name: 'agda' }, { name: 'lean', level: 1 }] }).expect(200);
      const idOf = new Map<string, number>((await db.query(`SELECT name, id FROM skill WHERE name = ANY($1)`,
        [['ocaml', 'haskell', 'coq', 'agda', 'lean']])).map((row: { name: string; id: number }) => [row.name, row.id]));
      const held = ['haskell', 'coq', 'agda', 'lean'].map((name) => idOf.get(name)!);
      const expected = held.flatMap((a, i) => held.slice(i + 1).map((b) => pairKey(a, b))).sort();
      const [{ pairs }] = await db.query(`SELECT skill_pairs::text[] AS pairs FROM candidate WHERE id = $1`, [person.id]);
      expect([...pairs].sort()).toEqual(expected);

      // No statistics: the ranking fetches through the GIN indexes rather than walk by recency.
      const stats = { candidates: 1_000_000, frequency: new Map<number, number>(), rareBelow: 0.001, filterSelectivity: new Map() };
      const statements: string[] = [];
      const rankAll = (skills: string[]) => rankCandidates(
        (sql, params) => (statements.push(sql), db.query(sql, params)), stats, {
          skillIds: skills.map((name) => idOf.get(name)!), matchAll: true, need: 10,
          filters: searchFilters(plainToInstance(SearchCandidatesQuery, {}), sut.clock.now(), sut.app.get(AppConfig).DEFAULT_TIME_ZONE),
        },
      );
      expect((await rankAll(['lean', 'haskell', 'agda'])).map((row) => row.id)).toEqual([person.id]);
      expect(statements.some((sql) => sql.includes('c.skill_pairs @>'))).toBe(true);
      expect(await rankAll(['ocaml', 'haskell'])).toEqual([]);
      expect(names(await search('skills=agda,coq,lean&match=all'))).toEqual(['Pair Keeper']);

      await sut.http().patch(`/api/v1/candidates/${person.id}`).set(sut.admin).send({ skills: [] }).expect(200);
      expect(await db.query(`SELECT skill_keys AS keys, skill_pairs::text[] AS pairs FROM candidate WHERE id = $1`, [person.id]))
        .toEqual([{ keys: [], pairs: [] }]);
      expect(await search('skills=agda,coq&match=all')).toEqual([]);
    });
  });

  describe('consent', () => {
    it('records evidence, shows the state on the candidate, expires with time and can be withdrawn', async () => {
      const { body: candidate } = await create({ fullName: 'Con Sent', email: 'consent@example.com' });
      sut.clock.set('2026-03-02T09:00:00Z');
      const recorded = await sut.http().post(`/api/v1/candidates/${candidate.id}/consents`).set(sut.admin)
        .send({ scope: 'talent_pool', textVersion: '2026-01', source: 'application_form' }).expect(201);
      expect(recorded.body).toMatchObject({
        scope: 'talent_pool', textVersion: '2026-01', source: 'application_form',
        grantedAt: '2026-03-02T09:00:00.000Z', expiresAt: '2027-03-02T09:00:00.000Z', withdrawnAt: null,
      });
      expect(recorded.body.recordedByKeyId).toEqual(expect.any(String));

      const valid = await sut.http().get(`/api/v1/candidates/${candidate.id}`).set(sut.admin).expect(200);
      expect(valid.body.consent).toEqual({ state: 'valid', validUntil: '2027-03-02T09:00:00.000Z' });
      expect(names(await search('consent=valid&q=Con%20Sent'))).toEqual(['Con Sent']);

      sut.clock.set('2027-03-02T09:00:01Z');
      const expired = await sut.http().get(`/api/v1/candidates/${candidate.id}`).set(sut.admin).expect(200);
      expect(expired.body.consent.state).toBe('expired');
      expect(await search('consent=valid&q=Con%20Sent')).toEqual([]);

      await sut.http().post(`/api/v1/candidates/${candidate.id}/consents`).set(sut.admin)
        .send({ scope: 'talent_pool', textVersion: '2027-01', source: 'email_reply' }).expect(201);
      const [waiting] = await sut.app.get(OutboxService).enqueueForCandidates([
        { candidateId: candidate.id, templateKey: 'nurture_checkin', category: 'nurture', idempotencyKey: `nurture:${candidate.id}`, data: {} },
      ]);
      // Withdrawal recorded by a recruiter (the person said so on the phone) takes effect at once, as on their own page.
      await sut.http().post(`/api/v1/candidates/${candidate.id}/consents/withdrawal`).set(sut.admin)
        .send({ scope: 'talent_pool' }).expect(200);
      expect((await sut.http().get(`/api/v1/emails/${waiting.id}`).set(sut.admin).expect(200)).body)
        .toMatchObject({ status: 'cancelled', lastError: 'talent-pool consent withdrawn' });
      const withdrawn = await sut.http().get(`/api/v1/candidates/${candidate.id}`).set(sut.admin).expect(200);
      expect(withdrawn.body.consent).toEqual({ state: 'withdrawn', validUntil: null });
      const list = await sut.http().get(`/api/v1/candidates/${candidate.id}/consents`).set(sut.admin).expect(200);
      expect(list.body.items).toHaveLength(2);
      expect(list.body.items[0]).toMatchObject({ textVersion: '2027-01', withdrawnAt: '2027-03-02T09:00:01.000Z' });
      sut.clock.set('2026-03-02T09:00:00Z');
    });

    it('reads bare dates as days in the organisation\'s time zone, not as midnight UTC', async () => {
      const { body: candidate } = await create({ fullName: 'Con Dated', email: 'consent-dated@example.com' });
      const before = sut.clock.now();
      try {
        sut.clock.set('2026-04-14T22:30:00Z'); // 00:30 on 15 April in Stockholm
        const recorded = await sut.http().post(`/api/v1/candidates/${candidate.id}/consents`).set(sut.admin)
          .send({ scope: 'talent_pool', textVersion: 'v1', source: 'verbal', grantedAt: '2026-04-15', expiresAt: '2027-01-31' }).expect(201);
        // Given at the start of that day there; valid to the end of the last day there (winter time, UTC+1).
        expect(recorded.body).toMatchObject({ grantedAt: '2026-04-14T22:00:00.000Z', expiresAt: '2027-01-31T23:00:00.000Z' });
        const request = await sut.http().post('/api/v1/privacy-requests').set(sut.admin)
          .send({ kind: 'access', candidateId: candidate.id, receivedAt: '2026-04-15' }).expect(201);
        expect(request.body).toMatchObject({ receivedAt: '2026-04-14T22:00:00.000Z', dueOn: '2026-05-15' });

        sut.clock.set('2027-01-31T09:00:00Z');
        const onTheLastDay = await sut.http().get(`/api/v1/candidates/${candidate.id}`).set(sut.admin).expect(200);
        expect(onTheLastDay.body.consent).toEqual({ state: 'valid', validUntil: '2027-01-31T23:00:00.000Z' });
      } finally {
        sut.clock.set(before);
      }
    });

    it('refuses evidence back-dated to before a withdrawal, which would otherwise undo it', async () => {
      const { body: candidate } = await create({ fullName: 'Con Back', email: 'consent-back@example.com' });
      const url = `/api/v1/candidates/${candidate.id}/consents`;
      sut.clock.set('2026-06-01T09:00:00Z');
      await sut.http().post(url).set(sut.admin).send({ scope: 'talent_pool', textVersion: 'v1', source: 'verbal' }).expect(201);
      sut.clock.set('2026-06-03T09:00:00Z');
      await sut.http().post(`${url}/withdrawal`).set(sut.admin).send({ scope: 'talent_pool' }).expect(200);

      const backDated = { scope: 'talent_pool', textVersion: 'v1', source: 'application_form', grantedAt: '2026-06-02T09:00:00Z' };
      const refused = expectProblem(await sut.http().post(url).set(sut.admin).send(backDated), 400, ['grantedAt']);
      expect(refused.errors[0].messages[0]).toMatch(/withdrawn \(2026-06-03T09:00:00.000Z\)/);
      const after = await sut.http().get(`/api/v1/candidates/${candidate.id}`).set(sut.admin).expect(200);
      expect(after.body.consent).toEqual({ state: 'withdrawn', validUntil: null });
      expect((await sut.http().get(url).set(sut.admin).expect(200)).body.items).toHaveLength(1);

      // Consent given after the withdrawal counts again.
      sut.clock.set('2026-06-03T11:00:00Z');
      await sut.http().post(url).set(sut.admin).send({ ...backDated, grantedAt: '2026-06-03T10:00:00Z' }).expect(201);
      const renewed = await sut.http().get(`/api/v1/candidates/${candidate.id}`).set(sut.admin).expect(200);
      expect(renewed.body.consent.state).toBe('valid');
      sut.clock.set('2026-03-02T09:00:00Z');
    });

    it('refuses consent in the future, unknown sources and missing candidates', async () => {
      const { body: candidate } = await create({ fullName: 'Con Bad', email: 'consent-bad@example.com' });
      const url = `/api/v1/candidates/${candidate.id}/consents`;
      expectProblem(await sut.http().post(url).set(sut.admin).send({ scope: 'talent_pool', textVersion: 'v1', source: 'verbal', grantedAt: '2030-01-01T00:00:00Z' }), 400, ['grantedAt']);
      expectProblem(await sut.http().post(url).set(sut.admin).send({ scope: 'talent_pool', textVersion: 'v1', source: 'carrier pigeon' }), 400, ['source']);
      // 2206 for 2026: kept, it would have held the person, and their data, for 180 years.
      const tooLong = { scope: 'talent_pool', textVersion: 'v1', source: 'verbal', grantedAt: '2026-03-01T00:00:00Z' };
      const longRefused = expectProblem(await sut.http().post(url).set(sut.admin).send({ ...tooLong, expiresAt: '2206-03-01' }), 400, ['expiresAt']);
      expect(longRefused.errors[0].messages).toEqual(['expiresAt must be at most 10 years after grantedAt']);
      expectProblem(await sut.http().post(url).set(sut.admin).send({ ...tooLong, expiresAt: '9999-12-31' }), 400, ['expiresAt']);
      expect((await sut.http().get(url).set(sut.admin).expect(200)).body.items).toEqual([]);
      // Ten years to the day: a date is the end of its day.
      expectProblem(await sut.http().post(url).set(sut.admin).send({ ...tooLong, expiresAt: '2036-03-02' }), 400, ['expiresAt']);
      await sut.http().post(url).set(sut.admin).send({ ...tooLong, expiresAt: '2036-03-01' }).expect(201);
      expectProblem(await sut.http().post(url).set(sut.admin).send({ scope: 'marketing', textVersion: 'v1', source: 'verbal' }), 400, ['scope']);
      expectProblem(
        await sut.http().post('/api/v1/candidates/00000000-0000-4000-8000-000000000000/consents').set(sut.admin)
          .send({ scope: 'talent_pool', textVersion: 'v1', source: 'verbal' }),
        404,
      );
    });
  });

  describe('search', () => {
    beforeAll(async () => {
      const pool = [
        { fullName: 'S Three Skills', email: 's3@example.com', country: 'SE', city: 'Göteborg', tags: ['backend'],
          skills: [{ name: 'elixir', level: 3 }, { name: 'erlang', level: 3 }, { name: 'rabbitmq', level: 1 }] },
        { fullName: 'S Two Strong', email: 's2strong@example.com', country: 'SE', city: 'Stockholm', tags: ['backend', 'senior'],
          skills: [{ name: 'elixir', level: 5 }, { name: 'erlang', level: 5 }] },
        { fullName: 'S Two Weak', email: 's2weak@example.com', country: 'NO',
          skills: [{ name: 'elixir', level: 1 }, { name: 'rabbitmq', level: 1 }] },
        { fullName: 'S One Old', email: 's1old@example.com', country: 'SE', skills: [{ name: 'rabbitmq', level: 2 }] },
        { fullName: 'S One New', email: 's1new@example.com', country: 'SE', skills: [{ name: 'rabbitmq', level: 2 }] },
        { fullName: 'S None', email: 's0@example.com', country: 'SE', headline: 'Rabbitmq enthusiast', skills: [{ name: 'java', level: 5 }] },
      ];
      for (const candidate of pool) {
        sut.clock.advance(60_000);
        await create(candidate).expect(201);
      }
    });

    it('ranks by matched skills, then level, then recency, and says what matched', async () => {
      const hits = await search('skills=Elixir,ERLANG,RabbitMQ&match=any');
      expect(names(hits)).toEqual(['S Three Skills', 'S Two Strong', 'S Two Weak', 'S One New', 'S One Old']);
      expect(hits[0].matchedSkills).toEqual(['elixir', 'erlang', 'rabbitmq']);
      expect(hits[1].matchedSkills).toEqual(['elixir', 'erlang']);
      expect(hits[3].matchedSkills).toEqual(['rabbitmq']);
    });

    it('requires every skill with match=all, and an unknown skill matches nobody', async () => {
      expect(names(await search('skills=elixir,erlang&match=all'))).toEqual(['S Two Strong', 'S Three Skills']);
      expect(await search('skills=elixir,no-such-skill&match=all')).toEqual([]);
      expect(names(await search('skills=no-such-skill,Elixir&match=any')).length).toBe(3);
    });

    it('refuses a skill that normalises to nothing, which had listed the whole pool as if no skill were asked', async () => {
      for (const [skills, refusedName] of [['!!!', '"!!!"'], ['%E2%80%8B', '"\u200b"'], ['elixir,---', '"---"']]) {
        const refused = expectProblem(await sut.http().get(`/api/v1/candidates?skills=${skills}&match=all`).set(sut.admin), 400, ['skills']);
        expect(refused.errors[0].messages).toEqual([`skills must each name a skill in 1 to 80 letters, digits or + # . once normalised; ${refusedName} does not`]);
      }
      expect(expectProblem(await sut.http().get('/api/v1/candidates?skills=elixir,erlang:3').set(sut.admin), 400, ['skills']).errors[0].messages)
        .toEqual(['skills must list skills alone, without a level ("kafka", not "erlang:3")']);
    });

    it('filters by country, city, tags, text, status and updatedSince', async () => {
      expect(names(await search('skills=rabbitmq&country=no'))).toEqual(['S Two Weak']);
      expect(names(await search('city=göteborg'))).toEqual(['S Three Skills']);
      expect(names(await search('city=%20G%C3%B6teborg%20'))).toEqual(['S Three Skills']);
      expect(names(await search('skills=elixir&tags=Backend,senior'))).toEqual(['S Two Strong']);
      expect(names(await search('q=rabbitmq%20enth'))).toEqual(['S None']);
      expect(await search('q=S%20One&status=archived')).toEqual([]);
      const since = new Date(sut.clock.now().getTime() - 90_000).toISOString();
      expect(names(await search(`q=S%20&updatedSince=${since}`))).toEqual(['S None', 'S One New']);
      expectProblem(await sut.http().get('/api/v1/candidates?updatedSince=yesterday').set(sut.admin), 400, ['updatedSince']);
      expectProblem(await sut.http().get('/api/v1/candidates?match=some').set(sut.admin), 400, ['match']);
      const twice = expectProblem(await sut.http().get('/api/v1/candidates?match=any&match=all&limit=1&limit=2').set(sut.admin), 400, ['match', 'limit']);
      expect(twice.errors).toEqual([
        { field: 'match', messages: ['match was given more than once; give it once'] },
        { field: 'limit', messages: ['limit was given more than once; give it once'] },
      ]);
      expect(names(await search('skills=elixir&skills=erlang&match=all'))).toEqual(['S Two Strong', 'S Three Skills']);
      expect(names(await search('skills=elixir,erlang&skills=rabbitmq&match=all'))).toEqual(['S Three Skills']);
    });

    it('pages through ranked results with a cursor without repeats or gaps', async () => {
      const all = names(await search('skills=elixir,erlang,rabbitmq&limit=100'));
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const response: { body: { items: Hit[]; nextCursor: string | null } } = await sut.http()
          .get(`/api/v1/candidates?skills=elixir,erlang,rabbitmq&limit=2${cursor ? `&cursor=${cursor}` : ''}`)
          .set(sut.admin).expect(200);
        expect(response.body.items.length).toBeLessThanOrEqual(2);
        seen.push(...names(response.body.items));
        cursor = response.body.nextCursor;
      } while (cursor);
      expect(seen).toEqual(all);
      expect(all).toHaveLength(5);
    });
  });
});
