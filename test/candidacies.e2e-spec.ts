import { addCandidate } from './support/pool';
import { expectProblem } from './support/problem';
import { startTestApp, TestApp } from './support/test-app';

const manager = { name: 'Hanna Manager', email: 'hanna.manager@acme.test' };
const recruiter = { name: 'Rita Recruiter', email: 'rita@acme.test' };

describe('Candidacies', () => {
  let sut: TestApp;
  const api = () => sut.http();

  async function openVacancy(fields: Record<string, unknown> = {}): Promise<{ id: string }> {
    return (await api().post('/api/v1/vacancies').set(sut.admin).send({
      title: 'Platform Engineer', hiringManager: manager, recruiter, status: 'open', expectedDecisionDate: '2026-04-15',
      criteria: { skills: [{ name: 'kafka', weight: 5, required: true }, { name: 'go', weight: 3 }], seniority: 'senior' },
      ...fields,
    }).expect(201)).body;
  }
  const apply = (candidateId: string, vacancyId: string, extra: Record<string, unknown> = {}) =>
    api().post('/api/v1/candidacies').set(sut.admin).send({ candidateId, vacancyId, ...extra });
  const stage = (id: string, to: string) => api().post(`/api/v1/candidacies/${id}/stage`).set(sut.admin).send({ stage: to });
  const decide = (id: string, body: Record<string, unknown>) => api().post(`/api/v1/candidacies/${id}/decision`).set(sut.admin).send(body);
  async function candidacyAt(vacancyId: string, to: string): Promise<string> {
    const candidate = await addCandidate(sut);
    const id = (await apply(candidate.id, vacancyId).expect(201)).body.id;
    if (to !== 'applied') await stage(id, to).expect(200);
    return id;
  }
  const emailsOf = async (candidateId: string) =>
    (await api().get(`/api/v1/emails?candidateId=${candidateId}`).set(sut.admin).expect(200)).body.items;
  const email = async (id: string) => (await api().get(`/api/v1/emails/${id}`).set(sut.admin).expect(200)).body;

  beforeAll(async () => {
    sut = await startTestApp({ COMPANY_NAME: 'Acme' });
  });
  afterAll(() => sut.close());

  it('keeps every stage with its time, moves only forward, and decides once', async () => {
    const vacancy = await openVacancy();
    const candidate = await addCandidate(sut, { fullName: 'Alva Lindqvist' });
    const created = await apply(candidate.id, vacancy.id);
    expect(created.status).toBe(201);
    const id = created.body.id;
    const t0 = sut.clock.now().toISOString();
    expect(created.body).toMatchObject({
      candidate: { id: candidate.id, fullName: 'Alva Lindqvist' },
      vacancy: { id: vacancy.id, title: 'Platform Engineer' },
      stage: 'applied', outcome: 'pending', finalistRank: null, decision: null, feedbackDue: null, feedback: [],
      stages: [{ stage: 'applied', at: t0 }],
    });

    sut.clock.advance(86_400_000);
    await stage(id, 'screening').expect(200);
    sut.clock.advance(86_400_000);
    const skipped = await stage(id, 'final').expect(200);
    expect(skipped.body.stages.map((s: { stage: string }) => s.stage)).toEqual(['applied', 'screening', 'final']);
    expect(skipped.body.stages[2].at).toBe(sut.clock.now().toISOString());

    const back = expectProblem(await stage(id, 'interview'), 409);
    expect(back.detail).toBe('Stages only move forward: the candidacy is at final and cannot go back to interview.');
    // A second click on the stage it is at: the same answer, and the history records the move once.
    expect((await stage(id, 'final').expect(200)).body).toEqual(skipped.body);
    expectProblem(await stage(id, 'hired'), 400, ['stage']);

    const decided = await decide(id, { outcome: 'rejected', finalistRank: 2 }).expect(200);
    expect(decided.body).toMatchObject({ outcome: 'rejected', finalistRank: 2, decision: { outcome: 'rejected', source: 'recruiter' } });
    expect(expectProblem(await stage(id, 'offer'), 409).detail).toMatch(/already decided \(rejected\)/);
    expect(expectProblem(await decide(id, { outcome: 'withdrew' }), 409).detail).toMatch(/decision is made once/);

    expectProblem(await stage('00000000-0000-4000-8000-000000000000', 'final'), 404);
  });

  it('hires only a finalist, ranks finalists once per vacancy, and rejects a second pair', async () => {
    const vacancy = await openVacancy();
    const early = await candidacyAt(vacancy.id, 'interview');
    expect(expectProblem(await decide(early, { outcome: 'hired' }), 409).detail).toMatch(/hired from the final or offer stage/);
    expectProblem(await decide(early, { outcome: 'rejected', finalistRank: 2 }), 400, ['finalistRank']);
    expectProblem(await decide(early, { outcome: 'withdrew', reasons: [{ criterion: 'kafka' }] }), 400, ['reasons']);

    const first = await candidacyAt(vacancy.id, 'offer');
    const second = await candidacyAt(vacancy.id, 'final');
    const third = await candidacyAt(vacancy.id, 'final');
    expect((await decide(first, { outcome: 'hired' }).expect(200)).body).toMatchObject({ outcome: 'hired', finalistRank: 1 });
    await decide(second, { outcome: 'rejected', finalistRank: 2 }).expect(200);
    expect(expectProblem(await decide(third, { outcome: 'rejected', finalistRank: 2 }), 409).detail).toMatch(/already has rank 2/);
    expectProblem(await decide(third, { outcome: 'rejected', finalistRank: 1 }), 400, ['finalistRank']);
    expect(expectProblem(await decide(third, { outcome: 'hired' }), 409).detail).toMatch(/already has a hired candidate/);
    await decide(third, { outcome: 'rejected', finalistRank: 3 }).expect(200);

    const candidate = (await api().get(`/api/v1/candidacies/${first}`).set(sut.admin).expect(200)).body.candidate;
    const hired = await api().get(`/api/v1/candidates/${candidate.id}`).set(sut.admin).expect(200);
    expect(hired.body.status).toBe('hired');
    const twice = expectProblem(await apply(candidate.id, vacancy.id), 409);
    expect(twice.existingId).toBe(first);
    const draft = (await api().post('/api/v1/vacancies').set(sut.admin).send({ title: 'Draft', hiringManager: manager }).expect(201)).body;
    expect(expectProblem(await apply(candidate.id, draft.id), 409).detail).toMatch(/still a draft/);
    expectProblem(await apply('00000000-0000-4000-8000-000000000000', vacancy.id), 404);
    expectProblem(await apply(candidate.id, '00000000-0000-4000-8000-000000000000'), 404);
    expectProblem(await apply(candidate.id, vacancy.id, { stage: 'hired', extra: 1 }), 400, ['stage', 'extra']);
  });

  it('ties rejection reasons to the criteria and keeps the gap as canonical skills and the promise', async () => {
    const vacancy = await openVacancy();
    const id = await candidacyAt(vacancy.id, 'final');
    const notACriterion = expectProblem(await decide(id, { outcome: 'rejected', reasons: [{ criterion: 'kafka' }, { criterion: 'cobol' }] }), 400, [
      'reasons.1.criterion',
    ]);
    expect(notACriterion.errors[0].messages[0]).toBe('"cobol" is not one of the vacancy\'s criteria (kafka, go, seniority)');

    const decided = await decide(id, {
      outcome: 'rejected',
      finalistRank: 2,
      reasons: [
        { criterion: 'Apache Kafka', note: 'more experience running Kafka in production' },
        { criterion: 'Seniority', gapSkills: ['system design', 'k8s'], note: 'more experience leading design work' },
      ],
      promise: { text: 'We will contact you first for the next platform role.', skills: ['golang'], team: 'Platform' },
    }).expect(200);
    expect(decided.body.decision).toMatchObject({
      reasons: [
        { criterion: 'kafka', gapSkills: ['kafka'], note: 'more experience running Kafka in production' },
        { criterion: 'seniority', gapSkills: ['system design', 'kubernetes'], note: 'more experience leading design work' },
      ],
      promise: { text: 'We will contact you first for the next platform role.', skills: ['go'], team: 'Platform' },
    });
    expect(decided.body.gapSkills).toEqual(['kafka', 'kubernetes', 'system design']);
  });

  it('confirms an application at once, warmly, with the vacancy\'s decision date', async () => {
    const vacancy = await openVacancy({ title: 'Data Engineer', expectedDecisionDate: '2026-04-15' });
    const english = await addCandidate(sut, { fullName: 'Omar Haddad', locale: 'en' });
    const swedish = await addCandidate(sut, { fullName: 'Sara Svensson', locale: 'sv' });
    await apply(english.id, vacancy.id).expect(201);
    await apply(swedish.id, vacancy.id).expect(201);

    const [confirmation] = await emailsOf(english.id);
    expect(confirmation).toMatchObject({ templateKey: 'application_received', category: 'transactional', status: 'held' });
    const rendered = await email(confirmation.id);
    expect(rendered.subject).toBe('We have received your application for Data Engineer');
    expect(rendered.textBody).toContain('Hi Omar,');
    expect(rendered.textBody).toContain('you will hear from us by Wednesday, 15 April 2026');
    expect(rendered.textBody).toContain('Rita Recruiter will get back to you');
    const [swedishConfirmation] = await emailsOf(swedish.id);
    expect((await email(swedishConfirmation.id)).textBody).toContain('du får besked från oss senast onsdag 15 april 2026');

    // Moving a candidate sends nothing more; entering at a later stage (sourced) is not an application.
    const sourced = await addCandidate(sut);
    await apply(sourced.id, vacancy.id, { stage: 'screening' }).expect(201);
    expect(await emailsOf(sourced.id)).toEqual([]);
  });

  it('lists candidacies per vacancy and per candidate with filters', async () => {
    const vacancy = await openVacancy();
    const other = await openVacancy({ title: 'Other role' });
    const person = await addCandidate(sut);
    sut.clock.advance(1000);
    const a = (await apply(person.id, vacancy.id).expect(201)).body.id;
    sut.clock.advance(1000);
    const b = await candidacyAt(vacancy.id, 'screening');
    sut.clock.advance(1000);
    const c = (await apply(person.id, other.id).expect(201)).body.id;
    await decide(b, { outcome: 'withdrew' }).expect(200);

    const ofVacancy = async (query = '') =>
      (await api().get(`/api/v1/vacancies/${vacancy.id}/candidacies?${query}`).set(sut.admin).expect(200)).body;
    expect((await ofVacancy()).items.map((x: { id: string }) => x.id)).toEqual([b, a]);
    expect((await ofVacancy('outcome=withdrew')).items.map((x: { id: string }) => x.id)).toEqual([b]);
    expect((await ofVacancy('stage=applied')).items.map((x: { id: string }) => x.id)).toEqual([a]);
    const page = await ofVacancy('limit=1');
    expect((await ofVacancy(`limit=1&cursor=${page.nextCursor}`)).items.map((x: { id: string }) => x.id)).toEqual([a]);

    const ofPerson = (await api().get(`/api/v1/candidates/${person.id}/candidacies`).set(sut.admin).expect(200)).body;
    expect(ofPerson.items.map((x: { vacancy: { title: string } }) => x.vacancy.title)).toEqual(['Other role', 'Platform Engineer']);
    expect(ofPerson.items[0].id).toBe(c);
    expectProblem(await api().get('/api/v1/candidates/00000000-0000-4000-8000-000000000000/candidacies').set(sut.admin), 404);
    expectProblem(await api().get('/api/v1/vacancies/00000000-0000-4000-8000-000000000000/candidacies').set(sut.admin), 404);
  });
});
