import { PrivacyRequestService } from '../src/privacy/requests/privacy-request.service';
import { addCandidate } from './support/pool';
import { expectProblem } from './support/problem';
import { startTestApp, TestApp } from './support/test-app';

describe('Privacy: data-subject requests', () => {
  let sut: TestApp;
  const api = () => sut.http();
  const create = (body: Record<string, unknown>) => api().post('/api/v1/privacy-requests').set(sut.admin).send(body);
  const list = async (query = '') => (await api().get(`/api/v1/privacy-requests?${query}`).set(sut.admin).expect(200)).body;

  beforeAll(async () => {
    sut = await startTestApp();
  });
  afterAll(() => sut.close());

  it('logs a request with its one-month legal deadline, and lists the most urgent first', async () => {
    const person = await addCandidate(sut);
    sut.clock.set('2026-03-02T09:00:00Z');
    const access = await create({ kind: 'access', candidateId: person.id, notes: 'Asked by email for a copy' });
    expect(access.status).toBe(201);
    expect(access.body).toEqual({
      id: expect.any(String), candidateId: person.id, kind: 'access', status: 'open',
      receivedAt: '2026-03-02T09:00:00.000Z', dueOn: '2026-04-02', dueAt: '2026-04-02T22:00:00.000Z',
      overdue: false, daysOverdue: 0, notes: 'Asked by email for a copy', createdByKeyId: expect.any(String),
      handledByKeyId: null, handledAt: null, createdAt: '2026-03-02T09:00:00.000Z', updatedAt: '2026-03-02T09:00:00.000Z',
    });
    // The same person asking again while the first is open, twice at once: one request, and its id.
    const again = await Promise.all([1, 2].map(() => create({ kind: 'access', candidateId: person.id })));
    for (const response of again) expect(expectProblem(response, 409)).toMatchObject({ code: 'PrivacyRequestExists', existingId: access.body.id });
    // A letter that arrived on 31 January: the month ends on the last day of February.
    const letter = (await create({ kind: 'rectification', receivedAt: '2026-01-31T10:00:00Z' }).expect(201)).body;
    expect(letter).toMatchObject({ candidateId: null, dueOn: '2026-02-28', overdue: true, daysOverdue: 2 });

    const all = await list();
    expect(all.items.map((item: { id: string }) => item.id)).toEqual([letter.id, access.body.id]);
    expect((await list('overdue=true')).items.map((item: { id: string }) => item.id)).toEqual([letter.id]);
    expect((await list('kind=access&overdue=false')).items.map((item: { id: string }) => item.id)).toEqual([access.body.id]);
    const first = await list('limit=1');
    expect((await list(`limit=1&cursor=${first.nextCursor}`)).items[0].id).toBe(access.body.id);
    expect((await api().get(`/api/v1/privacy-requests/${access.body.id}`).set(sut.admin).expect(200)).body).toEqual(access.body);
    // Another kind is another request.
    await create({ kind: 'rectification', candidateId: person.id }).expect(201);
  });

  it('moves a request to done, recording who handled it; closed requests do not change', async () => {
    const recruiterAdmin = await sut.keyFor('admin');
    const person = await addCandidate(sut);
    const request = (await create({ kind: 'rectification', candidateId: person.id }).expect(201)).body;
    const patch = (body: Record<string, unknown>, key = recruiterAdmin) =>
      api().patch(`/api/v1/privacy-requests/${request.id}`).set(key).send(body);

    sut.clock.advance(3_600_000);
    const started = (await patch({ status: 'in_progress', notes: 'Checking the phone number' }).expect(200)).body;
    expect(started).toMatchObject({ status: 'in_progress', handledByKeyId: expect.any(String), handledAt: null, notes: 'Checking the phone number' });
    sut.clock.advance(3_600_000);
    const done = (await patch({ status: 'done' }).expect(200)).body;
    expect(done).toMatchObject({ status: 'done', handledAt: sut.clock.now().toISOString(), notes: 'Checking the phone number', overdue: false });
    expect(done.handledByKeyId).not.toBe(request.createdByKeyId);

    expect(expectProblem(await patch({ status: 'open' }), 409)).toMatchObject({ code: 'PrivacyRequestClosed', requestStatus: 'done' });
    expectProblem(await patch({}), 400, ['status']);
    expectProblem(await api().patch('/api/v1/privacy-requests/00000000-0000-4000-8000-000000000000').set(sut.admin).send({ status: 'done' }), 404);
  });

  it('names invalid fields, refuses unknown candidates and future dates, and is for admins only', async () => {
    expectProblem(await create({ kind: 'deletion', candidateId: 'x', receivedAt: 'soon', notes: '', id: 'mine' }), 400, [
      'kind', 'candidateId', 'receivedAt', 'notes', 'id',
    ]);
    expectProblem(await create({ kind: 'access', candidateId: '00000000-0000-4000-8000-000000000000' }), 404);
    expectProblem(await create({ kind: 'access', receivedAt: '2099-01-01T00:00:00Z' }), 400, ['receivedAt']);
    const recruiter = await sut.keyFor('recruiter');
    expectProblem(await api().get('/api/v1/privacy-requests').set(recruiter), 403);
    expectProblem(await api().post('/api/v1/privacy-requests').set(recruiter).send({ kind: 'access' }), 403);
  });

  it('closes an erasure request when the person is erased, keeping it without notes as evidence', async () => {
    const person = await addCandidate(sut, { fullName: 'Erase Requester' });
    const request = (await create({ kind: 'erasure', candidateId: person.id, notes: 'Erase Requester phoned in' }).expect(201)).body;
    // Marked done by hand while the person is still here, the register would say they were erased.
    const early = expectProblem(await api().patch(`/api/v1/privacy-requests/${request.id}`).set(sut.admin).send({ status: 'done' }), 409);
    expect(early).toMatchObject({ code: 'ErasureNotDone', candidateId: person.id });
    expect((await api().get(`/api/v1/privacy-requests/${request.id}`).set(sut.admin).expect(200)).body.status).toBe('open');
    await api().patch(`/api/v1/privacy-requests/${request.id}`).set(sut.admin).send({ status: 'in_progress' }).expect(200);
    await api().delete(`/api/v1/candidates/${person.id}`).set(sut.admin).expect(204);
    const after = (await api().get(`/api/v1/privacy-requests/${request.id}`).set(sut.admin).expect(200)).body;
    expect(after).toMatchObject({ status: 'done', candidateId: null, notes: null, handledAt: sut.clock.now().toISOString() });
    const trail = (await api().get(`/api/v1/audit?candidateId=${person.id}&action=candidate_erased`).set(sut.admin).expect(200)).body;
    expect(trail.items[0].details).toEqual({ reason: 'request', privacyRequestsClosed: [request.id] });
  });

  it('lists overdue open requests for the recruiter digest, without notes', async () => {
    const service = sut.app.get(PrivacyRequestService);
    sut.clock.set('2026-06-01T09:00:00Z');
    const overdue = await service.overdue();
    expect(overdue.length).toBeGreaterThan(0);
    for (const item of overdue) {
      expect(Object.keys(item).sort()).toEqual(['candidateId', 'daysOverdue', 'dueOn', 'id', 'kind', 'receivedAt', 'status']);
      expect(['open', 'in_progress']).toContain(item.status);
      expect(item.daysOverdue).toBeGreaterThan(0);
    }
    expect(overdue.map((item) => item.daysOverdue)).toEqual([...overdue.map((item) => item.daysOverdue)].sort((a, b) => b - a));
  });
});
