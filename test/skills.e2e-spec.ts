import { DataSource } from 'typeorm';
import { holdSkillNamesForWriting, SkillService } from '../src/skill/skill.service';
import { expectProblem } from './support/problem';
import { startTestApp, TestApp } from './support/test-app';

describe('SkillController', () => {
  let sut: TestApp;
  beforeAll(async () => {
    sut = await startTestApp();
    const pool = [
      { fullName: 'K One', email: 'k1@example.com', skills: [{ name: 'TypeScript', level: 4 }, { name: 'reactjs' }] },
      { fullName: 'K Two', email: 'k2@example.com', skills: [{ name: 'ts' }, { name: 'Kotlin' }] },
      { fullName: 'K Three', email: 'k3@example.com', skills: [{ name: 'Kubernetes' }, { name: 'GitOps', level: 2 }] },
      { fullName: 'K Four', email: 'k4@example.com', skills: [{ name: 'git-ops', level: 4 }] },
    ];
    for (const candidate of pool) await sut.http().post('/api/v1/candidates').set(sut.admin).send(candidate).expect(201);
  });
  afterAll(() => sut.close());

  it('suggests canonical skills by fuzzy match, through aliases, with candidate counts', async () => {
    const typ = await sut.http().get('/api/v1/skills?q=typ').set(sut.admin).expect(200);
    expect(typ.body.items[0]).toEqual({ name: 'typescript', candidates: 2 });

    const k8 = await sut.http().get('/api/v1/skills?q=k8s').set(sut.admin).expect(200);
    expect(k8.body.items[0]).toEqual({ name: 'kubernetes', candidates: 1 });

    const typo = await sut.http().get('/api/v1/skills?q=kubernets').set(sut.admin).expect(200);
    expect(typo.body.items.map((s: { name: string }) => s.name)).toContain('kubernetes');

    expectProblem(await sut.http().get('/api/v1/skills').set(sut.admin), 400, ['q']);
    expectProblem(await sut.http().get('/api/v1/skills?q=%2F%2F').set(sut.admin), 400, ['q']);
  });

  it('uses up no skill id for names that exist: ids must stay below 2^28 for the search keys', async () => {
    const db = sut.app.get(DataSource);
    const lastId = async () => (await db.query(`SELECT last_value::int AS id FROM skill_id_seq`))[0].id as number;
    const before = await lastId();
    await sut.http().post('/api/v1/candidates').set(sut.admin)
      .send({ fullName: 'K Known', email: 'k-known@example.com', skills: [{ name: 'kotlin' }, { name: 'ts' }, { name: 'kubernetes' }] }).expect(201);
    expect(await lastId()).toBe(before);
    await sut.http().post('/api/v1/candidates').set(sut.admin)
      .send({ fullName: 'K New', email: 'k-new@example.com', skills: [{ name: 'kotlin' }, { name: 'zig' }] }).expect(201);
    expect(await lastId()).toBe(before + 1);
  });

  it('lists the seeded aliases, paginated', async () => {
    const first = await sut.http().get('/api/v1/skills/aliases?limit=5').set(sut.admin).expect(200);
    expect(first.body.items).toHaveLength(5);
    const next = await sut.http().get(`/api/v1/skills/aliases?limit=100&cursor=${first.body.nextCursor}`).set(sut.admin).expect(200);
    const all = [...first.body.items, ...next.body.items];
    expect(all).toEqual(expect.arrayContaining([
      { alias: 'js', skill: 'javascript' },
      { alias: 'postgres', skill: 'postgresql' },
      { alias: 'k8s', skill: 'kubernetes' },
    ]));
    expect(new Set(all.map((a: { alias: string }) => a.alias)).size).toBe(all.length);
  });

  it('adds an alias, merging candidates who had the alias as a skill into the canonical one', async () => {
    const added = await sut.http().post('/api/v1/skills/aliases').set(sut.admin).send({ alias: 'Git-Ops', skill: 'GitOps Practice', merge: true }).expect(201);
    expect(added.body).toEqual({ alias: 'git ops', skill: 'gitops practice' });
    const again = await sut.http().post('/api/v1/skills/aliases').set(sut.admin).send({ alias: 'GitOps', skill: 'gitops practice', merge: true }).expect(201);
    expect(again.body).toEqual({ alias: 'gitops', skill: 'gitops practice' });

    const hits = await sut.http().get('/api/v1/candidates?skills=gitops').set(sut.admin).expect(200);
    expect(hits.body.items.map((c: { fullName: string }) => c.fullName)).toEqual(['K Four', 'K Three']);
    expect(hits.body.items[0].skills).toEqual([{ name: 'gitops practice', level: 4 }]);
    expect(hits.body.items[0].matchedSkills).toEqual(['gitops practice']);
    // The merge moved two people's skills in one statement: their search keys and pairs followed.
    const [{ stale }] = await sut.app.get(DataSource).query(
      `SELECT count(*)::int AS stale FROM candidate
       WHERE skill_keys IS DISTINCT FROM candidate_skill_keys(id) OR skill_pairs IS DISTINCT FROM candidate_skill_pairs(candidate_skill_keys(id))`,
    );
    expect(stale).toBe(0);
    const both = await sut.http().get('/api/v1/candidates?skills=gitops,kubernetes&match=all').set(sut.admin).expect(200);
    expect(both.body.items.map((c: { fullName: string }) => c.fullName)).toEqual(['K Three']);

    const created = await sut.http().post('/api/v1/candidates').set(sut.admin)
      .send({ fullName: 'K Five', email: 'k5@example.com', skills: [{ name: 'GIT OPS' }] }).expect(201);
    expect(created.body.skills).toEqual([{ name: 'gitops practice', level: null }]);
  });

  it('merges a skill in use into another only when asked to, with an admin key, saying first what would move', async () => {
    const { body: person } = await sut.http().post('/api/v1/candidates').set(sut.admin)
      .send({ fullName: 'Merge Guard', email: 'merge-guard@example.com', skills: [{ name: 'pulsar', level: 4 }] }).expect(201);
    const alias = { alias: 'pulsar', skill: 'kafka' };
    const refused = expectProblem(await sut.http().post('/api/v1/skills/aliases').set(sut.admin).send(alias), 409);
    expect(refused).toMatchObject({ code: 'SkillAliasConflict', inUse: { candidates: 1, vacancies: 0, gaps: 0 } });
    expect(refused.detail).toMatch(/send "merge": true/);
    const recruiter = await sut.keyFor('recruiter');
    expectProblem(await sut.http().post('/api/v1/skills/aliases').set(recruiter).send({ ...alias, merge: true }), 403);
    expect((await sut.http().get(`/api/v1/candidates/${person.id}`).set(sut.admin).expect(200)).body.skills).toEqual([{ name: 'pulsar', level: 4 }]);

    await sut.http().post('/api/v1/skills/aliases').set(sut.admin).send({ ...alias, merge: true }).expect(201);
    expect((await sut.http().get(`/api/v1/candidates/${person.id}`).set(sut.admin).expect(200)).body.skills).toEqual([{ name: 'kafka', level: 4 }]);
    // A new alias that names no skill in use needs no confirmation, from a recruiter either.
    await sut.http().post('/api/v1/skills/aliases').set(recruiter).send({ alias: 'apache pulsar', skill: 'kafka' }).expect(201);
  });

  it('moves vacancy criteria along when a skill in use becomes an alias', async () => {
    const vacancy = await sut.http().post('/api/v1/vacancies').set(sut.admin).send({
      title: 'Data Engineer',
      hiringManager: { name: 'Hanna Manager', email: 'hanna@acme.test' },
      criteria: { skills: [{ name: 'dbt core', weight: 5, required: true }, { name: 'dbt', weight: 2 }] },
    }).expect(201);
    await sut.http().post('/api/v1/skills/aliases').set(sut.admin).send({ alias: 'dbt core', skill: 'dbt', merge: true }).expect(201);
    const after = await sut.http().get(`/api/v1/vacancies/${vacancy.body.id}`).set(sut.admin).expect(200);
    expect(after.body.criteria.skills).toEqual([expect.objectContaining({ name: 'dbt', weight: 5, required: true })]);
  });

  it('an alias added while a write is creating that skill waits for it, then merges what it wrote', async () => {
    const { body: person } = await sut.http().post('/api/v1/candidates').set(sut.admin)
      .send({ fullName: 'K Race', email: 'krace@example.com' }).expect(201);
    // A write in flight (as the candidate skill writer does it): the skill "helm3" is new and not yet committed.
    const writer = sut.app.get(DataSource).createQueryRunner();
    await writer.connect();
    await writer.startTransaction();
    const skills = sut.app.get(SkillService);
    await holdSkillNamesForWriting(writer.manager);
    const canonical = await skills.canonicalNames(['helm3'], writer.manager);
    const ids = await skills.idsFor([...canonical.values()], writer.manager);
    await writer.query(`INSERT INTO candidate_skill (candidate_id, skill_id, level) VALUES ($1, $2, 3)`, [person.id, ids.get('helm3')]);

    let aliasDone = false;
    const alias = sut.http().post('/api/v1/skills/aliases').set(sut.admin).send({ alias: 'helm3', skill: 'helm', merge: true })
      .then((response) => { aliasDone = true; return response; });
    // Wait until the alias change is queued on the lock the write holds (or has finished, which would be the bug).
    const waitingOnLock = async () => (await sut.app.get(DataSource).query(
      `SELECT count(*)::int AS n FROM pg_locks
       WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    ))[0].n as number;
    for (let i = 0; i < 250 && !aliasDone && (await waitingOnLock()) === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(aliasDone).toBe(false);
    expect(await waitingOnLock()).toBe(1);
    await writer.commitTransaction();
    await writer.release();
    expect((await alias).status).toBe(201);

    const found = await sut.http().get('/api/v1/candidates?skills=helm3').set(sut.admin).expect(200);
    expect(found.body.items.map((item: { id: string; skills: unknown[] }) => [item.id, item.skills])).toEqual([[person.id, [{ name: 'helm', level: 3 }]]]);
    expect(await sut.app.get(DataSource).query(`SELECT id FROM skill WHERE name = 'helm3'`)).toEqual([]);
  });

  it('refuses an alias of itself, deletes aliases, and 404s an unknown one', async () => {
    expectProblem(await sut.http().post('/api/v1/skills/aliases').set(sut.admin).send({ alias: 'Go', skill: 'go' }), 400, ['alias']);
    expectProblem(await sut.http().post('/api/v1/skills/aliases').set(sut.admin).send({ alias: 'x' }), 400, ['skill']);
    const viewer = await sut.keyFor('viewer');
    expectProblem(await sut.http().post('/api/v1/skills/aliases').set(viewer).send({ alias: 'golang2', skill: 'go' }), 403);
    await sut.http().delete('/api/v1/skills/aliases/gitops').set(sut.admin).expect(204);
    expectProblem(await sut.http().delete('/api/v1/skills/aliases/gitops').set(sut.admin), 404);
  });
});
