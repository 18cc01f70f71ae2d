import { DataSource } from 'typeorm';
import { addCandidate } from './support/pool';
import { expectProblem } from './support/problem';
import { startTestApp, TestApp } from './support/test-app';

describe('Privacy: audit trail', () => {
  let sut: TestApp;
  const api = () => sut.http();
  const audit = async (query: string) => (await api().get(`/api/v1/audit?${query}`).set(sut.admin).expect(200)).body;
  const sql = (statement: string) => sut.app.get(DataSource).query(statement);

  beforeAll(async () => {
    sut = await startTestApp();
  });
  afterAll(() => sut.close());

  it('writes a change and its audit entry together: no entry, no change', async () => {
    const person = await addCandidate(sut, { fullName: 'Atomic Subject', headline: 'Before' });
    // The audit entry of this one edit is refused (a constraint staged for the test): the edit must not stay either.
    await sql(`ALTER TABLE audit_log ADD CONSTRAINT test_refuses_headline CHECK (NOT (details->'fields' ? 'headline')) NOT VALID`);
    try {
      const refused = await api().patch(`/api/v1/candidates/${person.id}`).set(sut.admin).send({ headline: 'After' });
      expect(refused.status).toBeGreaterThanOrEqual(400);
    } finally {
      await sql(`ALTER TABLE audit_log DROP CONSTRAINT test_refuses_headline`);
    }
    expect((await api().get(`/api/v1/candidates/${person.id}`).set(sut.admin).expect(200)).body.headline).toBe('Before');
  });

  it('records who read, changed, exported and erased a candidate, and every consent event, with the request id', async () => {
    const recruiter = await sut.keyFor('recruiter');
    const [{ id: recruiterKeyId }] = await sql(`SELECT id FROM api_key WHERE role = 'recruiter'`);
    const [{ id: adminKeyId }] = await sql(`SELECT id FROM api_key WHERE role = 'admin'`);
    const person = await addCandidate(sut, { fullName: 'Audit Subject', phone: '+46 70 000 11 22' });
    const at = (minutes: number) => sut.clock.set(new Date(Date.parse('2026-03-02T09:00:00Z') + minutes * 60_000));

    at(1);
    await api().get(`/api/v1/candidates/${person.id}`).set(recruiter).set('x-request-id', 'read-req-1').expect(200);
    at(2);
    await api().patch(`/api/v1/candidates/${person.id}`).set(recruiter).send({ headline: 'Backend developer', city: 'Malmö' }).expect(200);
    at(3);
    await api().post(`/api/v1/candidates/${person.id}/consents`).set(recruiter)
      .send({ scope: 'talent_pool', textVersion: 'v1', source: 'verbal' }).expect(201);
    at(4);
    await api().post(`/api/v1/candidates/${person.id}/consents`).set(recruiter)
      .send({ scope: 'talent_pool', textVersion: 'v2', source: 'email_reply' }).expect(201);
    at(5);
    await api().post(`/api/v1/candidates/${person.id}/consents/withdrawal`).set(recruiter).send({ scope: 'talent_pool' }).expect(200);
    at(6);
    await api().get(`/api/v1/candidates/${person.id}/export`).set(sut.admin).set('x-request-id', 'export-req-1').expect(200);
    at(7);
    await api().delete(`/api/v1/candidates/${person.id}`).set(recruiter).set('x-request-id', 'erase-req-1').expect(204);

    const trail = await audit(`candidateId=${person.id}`);
    expect(trail.items.map((entry: { action: string }) => entry.action)).toEqual([
      'candidate_erased', 'candidate_exported', 'consent_withdrawn', 'consent_renewed', 'consent_granted',
      'candidate_updated', 'candidate_read', 'candidate_created',
    ]);
    const byAction = Object.fromEntries(trail.items.map((entry: { action: string }) => [entry.action, entry]));
    expect(byAction.candidate_read).toEqual({
      id: expect.any(String), at: '2026-03-02T09:01:00.000Z', actor: { keyId: recruiterKeyId, role: 'recruiter' },
      action: 'candidate_read', candidateId: person.id, requestId: 'read-req-1', details: {},
    });
    expect(byAction.candidate_updated.details).toEqual({ fields: ['city', 'headline'] });
    expect(byAction.consent_granted.details).toMatchObject({ scope: 'talent_pool', source: 'verbal', textVersion: 'v1' });
    expect(byAction.consent_renewed.details).toMatchObject({ source: 'email_reply', textVersion: 'v2' });
    expect(byAction.consent_withdrawn.details).toEqual({ scope: 'talent_pool', via: 'recorded by a recruiter' });
    expect(byAction.candidate_exported).toMatchObject({ actor: { keyId: adminKeyId, role: 'admin' }, requestId: 'export-req-1' });
    expect(byAction.candidate_erased).toMatchObject({ requestId: 'erase-req-1', details: { reason: 'request', privacyRequestsClosed: [] } });
    expect(JSON.stringify(trail)).not.toMatch(/Audit Subject|Malmö|Backend developer|\+46 70|@example\.com/);

    const page = await audit(`candidateId=${person.id}&limit=3`);
    expect(page.items).toHaveLength(3);
    const next = await audit(`candidateId=${person.id}&limit=3&cursor=${page.nextCursor}`);
    expect(next.items.map((entry: { action: string }) => entry.action)).toEqual(['consent_renewed', 'consent_granted', 'candidate_updated']);

    expect((await audit(`actor=${recruiterKeyId}&action=candidate_read`)).items.map((entry: { requestId: string }) => entry.requestId)).toEqual(['read-req-1']);
    const window = await audit(`candidateId=${person.id}&from=2026-03-02T09:02:00Z&to=2026-03-02T09:05:00Z`);
    expect(window.items.map((entry: { action: string }) => entry.action)).toEqual(['consent_renewed', 'consent_granted', 'candidate_updated']);
    expect((await audit(`candidateId=${person.id}&from=2026-03-03`)).items).toEqual([]);
  });

  it('is append-only: the database refuses UPDATE, DELETE and TRUNCATE', async () => {
    const person = await addCandidate(sut);
    await api().get(`/api/v1/candidates/${person.id}`).set(sut.admin).expect(200);
    const before = await sql(`SELECT count(*)::int AS n FROM audit_log`);
    await expect(sql(`UPDATE audit_log SET action = 'candidate_created' WHERE candidate_id = '${person.id}'`))
      .rejects.toThrow('audit_log is append-only: UPDATE is not allowed');
    await expect(sql(`DELETE FROM audit_log WHERE candidate_id = '${person.id}'`)).rejects.toThrow('audit_log is append-only: DELETE is not allowed');
    await expect(sql(`DELETE FROM audit_log`)).rejects.toThrow('append-only');
    await expect(sql(`TRUNCATE audit_log`)).rejects.toThrow('audit_log is append-only: TRUNCATE is not allowed');
    expect(await sql(`SELECT count(*)::int AS n FROM audit_log`)).toEqual(before);
  });

  it('is for admins only, and names invalid filters', async () => {
    const recruiter = await sut.keyFor('recruiter');
    expectProblem(await api().get('/api/v1/audit').set(recruiter), 403);
    expectProblem(await api().get('/api/v1/audit'), 401);
    expectProblem(await api().get('/api/v1/audit?candidateId=nope&actor=someone&from=yesterday&action=deleted').set(sut.admin), 400, [
      'candidateId', 'actor', 'from', 'action',
    ]);
    expectProblem(await api().get('/api/v1/audit?from=2026-03-05&to=2026-03-01').set(sut.admin), 400, ['from']);
    expectProblem(await api().get('/api/v1/audit?cursor=bogus').set(sut.admin), 400, ['cursor']);
  });
});
