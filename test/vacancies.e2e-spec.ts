import { expectProblem } from './support/problem';
import { startTestApp, TestApp } from './support/test-app';

const manager = { name: 'Hanna Manager', email: 'hanna.manager@acme.test' };

describe('Vacancies', () => {
  let sut: TestApp;
  const api = () => sut.http();
  const post = (body: Record<string, unknown>) => api().post('/api/v1/vacancies').set(sut.admin).send(body);

  beforeAll(async () => {
    sut = await startTestApp();
  });
  afterAll(() => sut.close());

  it('creates a draft with criteria under canonical skill names and shows it back', async () => {
    const created = await post({
      title: ' Platform Engineer ',
      team: 'Platform',
      location: 'Stockholm (hybrid)',
      description: 'Run the platform.',
      hiringManager: manager,
      recruiter: { name: 'Rita Recruiter', email: 'rita@acme.test' },
      criteria: {
        skills: [{ name: 'Apache Kafka', weight: 5, required: true }, { name: 'k8s', weight: 4 }, { name: 'Go' }],
        seniority: 'senior',
      },
      expectedDecisionDate: '2026-04-15',
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      title: 'Platform Engineer',
      team: 'Platform',
      location: 'Stockholm (hybrid)',
      description: 'Run the platform.',
      hiringManager: manager,
      recruiter: { name: 'Rita Recruiter', email: 'rita@acme.test' },
      criteria: {
        skills: [
          { name: 'kafka', weight: 5, required: true },
          { name: 'kubernetes', weight: 4, required: false },
          { name: 'go', weight: 3, required: false },
        ],
        seniority: 'senior',
      },
      expectedDecisionDate: '2026-04-15',
      status: 'draft',
      openedAt: null,
      closedAt: null,
      createdAt: sut.clock.now().toISOString(),
      updatedAt: sut.clock.now().toISOString(),
    });
    expect((await api().get(`/api/v1/vacancies/${created.body.id}`).set(sut.admin).expect(200)).body).toEqual(created.body);
  });

  it('names every invalid field, and refuses to open without a decision date', async () => {
    expectProblem(await post({ title: '', hiringManager: { name: 'x', email: 'nope' }, colour: 'red' }), 400, [
      'title', 'hiringManager.email', 'colour',
    ]);
    expectProblem(await post({ title: 'X', hiringManager: manager, criteria: { skills: [{ name: 'go', weight: 9 }], seniority: 'wizard' } }), 400, [
      'criteria.skills.0.weight', 'criteria.seniority',
    ]);
    expectProblem(await post({ title: 'X', hiringManager: manager, criteria: { skills: [{ name: 'golang' }, { name: 'Go' }] } }), 400, [
      'criteria.skills.1.name',
    ]);
    expectProblem(await post({ title: 'X', hiringManager: manager, expectedDecisionDate: '2026-02-30' }), 400, ['expectedDecisionDate']);
    // A line break in a name would reach the candidate's greeting, the Reply-To display name and the digests.
    const twoLines = expectProblem(await post({
      title: 'Engineer\nApply now', hiringManager: { name: 'Hanna\r\nBcc: all@acme.test', email: manager.email },
      recruiter: { name: 'Rita\tRecruiter', email: 'rita@acme.test' }, location: 'Stockholm\u2028Remote',
    }), 400, ['title', 'hiringManager.name', 'recruiter.name', 'location']);
    expect(twoLines.errors[0].messages).toEqual(['title must be one line of text: no line breaks, tabs or other control characters']);
    const noDate = expectProblem(await post({ title: 'X', hiringManager: manager, status: 'open' }), 400, ['expectedDecisionDate']);
    expect(noDate.errors[0].messages[0]).toMatch(/promised an answer/);
    // A decision date already gone would be broken in the very email that promises it.
    const today = sut.clock.now().toISOString().slice(0, 10);
    const yesterday = new Date(sut.clock.now().getTime() - 86_400_000).toISOString().slice(0, 10);
    const past = expectProblem(await post({ title: 'X', hiringManager: manager, status: 'open', expectedDecisionDate: yesterday }), 400, ['expectedDecisionDate']);
    expect(past.errors[0].messages[0]).toMatch(/is in the past/);
    await post({ title: 'Decides today', hiringManager: manager, status: 'open', expectedDecisionDate: today }).expect(201);
  });

  it('opens a draft, edits it, and keeps a closed vacancy unchanged', async () => {
    const draft = (await post({ title: 'Data Engineer', hiringManager: manager }).expect(201)).body;
    const path = `/api/v1/vacancies/${draft.id}`;
    expectProblem(await api().patch(path).set(sut.admin).send({ status: 'open' }), 400, ['expectedDecisionDate']);
    expectProblem(await api().patch(path).set(sut.admin).send({ status: 'filled' }), 400, ['status']);
    expectProblem(await api().patch(path).set(sut.admin).send({ title: null, hiringManager: null, status: null, criteria: null }), 400, ['title', 'hiringManager', 'status', 'criteria']);

    sut.clock.advance(60_000);
    const opened = await api().patch(path).set(sut.admin).send({
      status: 'open', expectedDecisionDate: '2026-05-01', criteria: { skills: [{ name: 'python', required: true }] }, team: 'Data',
    }).expect(200);
    expect(opened.body).toMatchObject({
      status: 'open', openedAt: sut.clock.now().toISOString(), expectedDecisionDate: '2026-05-01', team: 'Data',
      criteria: { skills: [{ name: 'python', weight: 3, required: true }], seniority: null },
    });
    expectProblem(await api().patch(path).set(sut.admin).send({ expectedDecisionDate: null }), 400, ['expectedDecisionDate']);

    await api().post(`${path}/close`).set(sut.admin).send({ outcome: 'cancelled' }).expect(200);
    const closed = expectProblem(await api().patch(path).set(sut.admin).send({ title: 'Renamed' }), 409);
    expect(closed.detail).toMatch(/cancelled/);
    expect((await api().get(path).set(sut.admin).expect(200)).body).toMatchObject({ title: 'Data Engineer', status: 'cancelled' });
  });

  it('lists newest first with filters and a cursor', async () => {
    const team = `Team ${Date.now()}`;
    const ids: string[] = [];
    for (const [title, skill, status] of [['Backend Engineer', 'postgres', 'open'], ['Frontend Engineer', 'react', 'draft'], ['Backend Lead', 'golang', 'open']]) {
      sut.clock.advance(1000);
      const body = { title, team, hiringManager: manager, criteria: { skills: [{ name: skill }] }, status, expectedDecisionDate: '2026-06-01' };
      ids.push((await post(body).expect(201)).body.id);
    }
    const list = async (query: string) =>
      (await api().get(`/api/v1/vacancies?team=${encodeURIComponent(team.toLowerCase())}&${query}`).set(sut.admin).expect(200)).body;
    expect((await list('')).items.map((v: { id: string }) => v.id)).toEqual([...ids].reverse());
    expect((await list('status=open')).items.map((v: { title: string }) => v.title)).toEqual(['Backend Lead', 'Backend Engineer']);
    expect((await list('skill=PostgreSQL')).items.map((v: { title: string }) => v.title)).toEqual(['Backend Engineer']);
    expect((await list('skill=go')).items.map((v: { title: string }) => v.title)).toEqual(['Backend Lead']);
    expect((await list('q=backend')).items).toHaveLength(2);

    const first = await list('limit=2');
    expect(first.items).toHaveLength(2);
    const rest = await list(`limit=2&cursor=${first.nextCursor}`);
    expect(rest).toEqual({ items: [expect.objectContaining({ id: ids[0] })], nextCursor: null });
    expectProblem(await api().get('/api/v1/vacancies?status=closed').set(sut.admin), 400, ['status']);
    expectProblem(await api().get('/api/v1/vacancies?cursor=bogus').set(sut.admin), 400, ['cursor']);
  });

  it('lets viewers read but not write, and answers 404 and 400 for unknown and malformed ids', async () => {
    const viewer = await sut.keyFor('viewer');
    expectProblem(await api().post('/api/v1/vacancies').set(viewer).send({ title: 'X', hiringManager: manager }), 403);
    await api().get('/api/v1/vacancies').set(viewer).expect(200);
    expectProblem(await api().get('/api/v1/vacancies/00000000-0000-4000-8000-000000000000').set(viewer), 404);
    expectProblem(await api().get('/api/v1/vacancies/42').set(viewer), 400, ['id']);
    expectProblem(await api().get('/api/v1/vacancies'), 401);
  });
});
