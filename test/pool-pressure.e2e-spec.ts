import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { isPoolExhausted } from '../src/common/errors/postgres-errors';
import { addCandidate } from './support/pool';
import { startTestApp, TestApp } from './support/test-app';

/**
 * More concurrent writes than the instance has database connections. Each
 * of these requests queues an email inside its transaction; when that
 * rendering or the suppression check asked the pool for a second
 * connection, every connection ended up held by a transaction waiting for
 * another one, and the instance stopped answering for good.
 */
describe('An instance under more concurrent writes than it has connections', () => {
  let sut: TestApp;
  const manager = { name: 'Hanna Manager', email: 'hanna.manager@acme.test' };

  beforeAll(async () => {
    sut = await startTestApp({ DATABASE_POOL_SIZE: '2', COMPANY_NAME: 'Acme', SEND_WINDOW: 'always' });
  });
  afterAll(() => sut.close());

  it('answers every request: transactions never wait for a second connection', async () => {
    const vacancy = (await sut.http().post('/api/v1/vacancies').set(sut.admin).send({
      title: 'Busy Role', hiringManager: manager, status: 'open', expectedDecisionDate: '2026-12-20',
      criteria: { skills: [{ name: 'go', weight: 3 }] },
    }).expect(201)).body.id;
    const people = await Promise.all(Array.from({ length: 8 }, (_, i) => addCandidate(sut, { fullName: `Busy Person ${i}` })));

    const answers = await Promise.all(people.map((person) =>
      sut.http().post('/api/v1/candidacies').set(sut.admin).send({ candidateId: person.id, vacancyId: vacancy }).timeout(20_000)));

    expect(answers.map((answer) => answer.status)).toEqual(people.map(() => 201));
    const listed = await sut.http().get(`/api/v1/vacancies/${vacancy}/candidacies?limit=100`).set(sut.admin).expect(200);
    expect(listed.body.items).toHaveLength(8);
    const queued = await sut.app.get(DataSource).query(
      `SELECT count(*)::int AS n FROM email WHERE template_key = 'application_received' AND candidate_id = ANY($1::uuid[])`,
      [people.map((person) => person.id)],
    );
    expect(queued).toEqual([{ n: 8 }]);
  });

  it('recognises pg-pool\'s error for a connection that did not come free in time (the API answers it with a 503)', async () => {
    const pool = new Pool({ connectionString: sut.databaseUrl, max: 1, connectionTimeoutMillis: 50 });
    const held = await pool.connect();
    try {
      const error = await pool.connect().then((client) => (client.release(), null), (failure: unknown) => failure);
      expect(isPoolExhausted(error)).toBe(true);
    } finally {
      held.release();
      await pool.end();
    }
  });
});
