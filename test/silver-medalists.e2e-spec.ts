import { Signer } from '../src/common/secrets/signer';
import { MedalPool } from '../src/relationship/medal-pool.service';
import { addCandidate } from './support/pool';
import { expectProblem } from './support/problem';
import { startTestApp, TestApp } from './support/test-app';

const manager = { name: 'Hanna Manager', email: 'hanna.manager@acme.test' };
const DAY = 86_400_000;

describe('Silver medalists', () => {
  let sut: TestApp;
  let campaignId: string;
  const api = () => sut.http();

  const openVacancy = async (title = 'Platform Engineer'): Promise<{ id: string }> =>
    (await api().post('/api/v1/vacancies').set(sut.admin).send({
      title, hiringManager: manager, status: 'open', expectedDecisionDate: '2026-04-15',
      criteria: { skills: [{ name: 'kafka', weight: 5, required: true }, { name: 'go' }] },
    }).expect(201)).body;
  async function candidacy(vacancyId: string, stage: string, fields: Record<string, unknown> = {}, consent = false) {
    const candidate = await addCandidate(sut, fields, { consent });
    const id = (await api().post('/api/v1/candidacies').set(sut.admin).send({ candidateId: candidate.id, vacancyId }).expect(201)).body.id as string;
    if (stage !== 'applied') await api().post(`/api/v1/candidacies/${id}/stage`).set(sut.admin).send({ stage }).expect(200);
    return { id, candidate };
  }
  const decide = (id: string, body: Record<string, unknown>) =>
    api().post(`/api/v1/candidacies/${id}/decision`).set(sut.admin).send(body).expect(200);
  const close = (vacancyId: string, body: Record<string, unknown>) => api().post(`/api/v1/vacancies/${vacancyId}/close`).set(sut.admin).send(body);
  const enrolled = async () =>
    (await api().get(`/api/v1/campaigns/${campaignId}/enrollments?limit=100`).set(sut.admin).expect(200)).body.items
      .map((item: { candidateId: string }) => item.candidateId);
  const emailsOf = async (candidateId: string) =>
    (await api().get(`/api/v1/emails?candidateId=${candidateId}`).set(sut.admin).expect(200)).body.items as { id: string; templateKey: string }[];
  async function consentLinkOf(candidateId: string): Promise<string> {
    const request = (await emailsOf(candidateId)).find((email) => email.templateKey === 'consent_request');
    if (!request) throw new Error('no consent request');
    const body = (await api().get(`/api/v1/emails/${request.id}`).set(sut.admin).expect(200)).body;
    return new URL(/https?:\/\/\S+\/c\/\S+/.exec(body.textBody)![0]).pathname;
  }

  beforeAll(async () => {
    sut = await startTestApp({ COMPANY_NAME: 'Acme', PUBLIC_BASE_URL: 'https://talent.acme.test' });
    campaignId = (await api().post('/api/v1/campaigns').set(sut.admin)
      .send({ name: 'Silver medalists', steps: [{ templateKey: 'nurture_checkin', delay: 'P30D' }] }).expect(201)).body.id;
  });
  afterAll(() => sut.close());

  it('lets admins choose the silver-medalist nurture campaign', async () => {
    const put = (body: unknown, key = sut.admin) => api().put('/api/v1/settings/silver-medalist-campaign').set(key).send(body as object);
    expect((await api().get('/api/v1/settings/silver-medalist-campaign').set(sut.admin).expect(200)).body).toEqual({ campaignId: null });
    expectProblem(await put({ campaignId }, await sut.keyFor('recruiter')), 403);
    expectProblem(await put({ campaignId: '00000000-0000-4000-8000-000000000000' }), 404);
    expectProblem(await put({}), 400, ['campaignId']);
    expect((await put({ campaignId }).expect(200)).body).toEqual({ campaignId });
  });

  it('fills a vacancy: silver and bronze for the ranked finalists, the rest rejected and owed feedback, nurture only with consent', async () => {
    const vacancy = await openVacancy();
    const hire = await candidacy(vacancy.id, 'offer', {}, true);
    const silver = await candidacy(vacancy.id, 'final', { fullName: 'Alva Lindqvist' }, true);
    const bronze = await candidacy(vacancy.id, 'final', { fullName: 'Omar Haddad' }, false);
    const withdrawn = await candidacy(vacancy.id, 'final', {}, true);
    const unranked = await candidacy(vacancy.id, 'final', {}, true);
    const screening = await candidacy(vacancy.id, 'screening', {}, true);
    await api().post(`/api/v1/candidates/${withdrawn.candidate.id}/consents/withdrawal`).set(sut.admin).send({ scope: 'talent_pool' }).expect(200);
    await decide(silver.id, { outcome: 'rejected', finalistRank: 2, reasons: [{ criterion: 'kafka', note: 'more Kafka in production' }] });
    await decide(bronze.id, { outcome: 'rejected', finalistRank: 3, reasons: [{ criterion: 'go' }] });
    await decide(withdrawn.id, { outcome: 'rejected', finalistRank: 4 });

    expectProblem(await close(vacancy.id, { outcome: 'filled' }), 400, ['hiredCandidacyId']);
    expectProblem(await close(vacancy.id, { outcome: 'filled', hiredCandidacyId: screening.id }), 409);
    const undecided = expectProblem(await close(vacancy.id, { outcome: 'filled', hiredCandidacyId: hire.id }), 409);
    expect(undecided.detail).toMatch(/Decide the other finalists first/);
    expect(undecided.candidacyIds).toEqual([unranked.id]);
    await decide(unranked.id, { outcome: 'rejected' });

    sut.clock.advance(DAY);
    const closed = await close(vacancy.id, { outcome: 'filled', hiredCandidacyId: hire.id }).expect(200);
    expect(closed.body.vacancy).toMatchObject({ id: vacancy.id, status: 'filled', closedAt: sut.clock.now().toISOString() });
    expect(closed.body).toMatchObject({ hiredCandidacyId: hire.id, rejected: 1 });
    expect(closed.body.medals).toEqual([
      {
        candidacyId: silver.id, candidate: { id: silver.candidate.id, fullName: 'Alva Lindqvist' },
        vacancy: { id: vacancy.id, title: 'Platform Engineer' }, medal: 'silver', rank: 2, gapSkills: ['kafka'],
        awardedAt: sut.clock.now().toISOString(), pool: { status: 'enrolled', campaignId },
      },
      expect.objectContaining({ candidacyId: bronze.id, medal: 'bronze', rank: 3, gapSkills: ['go'], pool: { status: 'consent_requested', campaignId: null } }),
      expect.objectContaining({ candidacyId: withdrawn.id, medal: 'bronze', rank: 4, gapSkills: [], pool: { status: 'not_asked', campaignId: null } }),
    ]);

    expect(await enrolled()).toEqual([silver.candidate.id]);
    expect((await emailsOf(bronze.candidate.id)).map((email) => email.templateKey)).toEqual(['consent_request', 'application_received']);
    expect((await emailsOf(withdrawn.candidate.id)).map((email) => email.templateKey)).toEqual(['application_received']);

    const view = async (id: string) => (await api().get(`/api/v1/candidacies/${id}`).set(sut.admin).expect(200)).body;
    expect(await view(hire.id)).toMatchObject({ outcome: 'hired', finalistRank: 1 });
    expect(await view(screening.id)).toMatchObject({
      outcome: 'rejected', decision: { source: 'vacancy_filled', reasons: [] }, feedbackDue: { stage: 'screening', channel: 'email' },
    });
    const medals = (await api().get(`/api/v1/candidates/${silver.candidate.id}/medals`).set(sut.admin).expect(200)).body;
    expect(medals).toEqual({ items: [closed.body.medals[0]], nextCursor: null });
    expect((await api().get(`/api/v1/vacancies/${vacancy.id}/medals`).set(sut.admin).expect(200)).body.items).toEqual(closed.body.medals);
    expect(expectProblem(await close(vacancy.id, { outcome: 'filled', hiredCandidacyId: hire.id }), 409).detail).toMatch(/filled/);

    // Consent recorded by a recruiter (say, on the phone) counts too: the next round enrols the bronze medalist.
    await sut.app.get(MedalPool).sweep();
    expect(await enrolled()).toEqual([silver.candidate.id]);
    await api().post(`/api/v1/candidates/${bronze.candidate.id}/consents`).set(sut.admin)
      .send({ scope: 'talent_pool', textVersion: 'v1', source: 'verbal' }).expect(201);
    await sut.app.get(MedalPool).sweep();
    expect((await enrolled()).sort()).toEqual([silver.candidate.id, bronze.candidate.id].sort());
    expect((await api().get(`/api/v1/vacancies/${vacancy.id}/medals`).set(sut.admin).expect(200)).body.items
      .map((medal: { pool: { status: string } }) => medal.pool.status)).toEqual(['enrolled', 'enrolled', 'not_asked']);
  });

  it('records consent from the signed link as evidence, then enrols the medalist; a tampered or expired link does nothing', async () => {
    const vacancy = await openVacancy('Data Engineer');
    const hire = await candidacy(vacancy.id, 'final', {}, true);
    const medalist = await candidacy(vacancy.id, 'final', { fullName: 'Sara Svensson', locale: 'sv' });
    await decide(medalist.id, { outcome: 'rejected', finalistRank: 2 });
    await close(vacancy.id, { outcome: 'filled', hiredCandidacyId: hire.id }).expect(200);
    expect(await enrolled()).not.toContain(medalist.candidate.id);

    const path = await consentLinkOf(medalist.candidate.id);
    const page = await api().get(path).expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toContain('Får vi höra av oss igen?');
    expect(page.text).toContain('Acme vill spara ditt namn');
    expect(page.text).toContain(`action="${path}"`);
    const consents = async () => (await api().get(`/api/v1/candidates/${medalist.candidate.id}/consents`).set(sut.admin).expect(200)).body.items;
    expect(await consents()).toEqual([]);

    const tampered = `${path.slice(0, -1)}${path.endsWith('A') ? 'B' : 'A'}`;
    const refused = await api().post(tampered).expect(400);
    expect(refused.text).toContain('This link does not work');
    await api().get(tampered).expect(400);
    const unsubscribeToken = sut.app.get(Signer).sign({ purpose: 'unsubscribe', candidateId: medalist.candidate.id });
    await api().post(`/c/${unsubscribeToken}`).expect(400);
    // The consent request (/c/) and the consent renewal (/consent/) change consent both ways: neither opens the other.
    const token = path.split('/').pop()!;
    await api().post(`/consent/${token}/withdraw`).expect(400);
    await api().post(`/consent/${token}/renew`).expect(400);
    const renewal = sut.app.get(Signer).sign({ purpose: 'consent_renewal', candidateId: medalist.candidate.id, expiresAt: Math.floor(Date.now() / 1000) + 86_400 * 400 });
    await api().post(`/c/${renewal}`).expect(400);
    // Links signed before the two purposes were told apart still open their page until they expire.
    const legacy = sut.app.get(Signer).sign({ purpose: 'consent', candidateId: medalist.candidate.id, expiresAt: Math.floor(Date.now() / 1000) + 86_400 * 400 });
    await api().get(`/c/${legacy}`).expect(200);
    sut.clock.advance(31 * DAY);
    await api().post(path).expect(400);
    sut.clock.advance(-31 * DAY);
    expect(await consents()).toEqual([]);
    expect(await enrolled()).not.toContain(medalist.candidate.id);

    const done = await api().post(path).type('form').send('').expect(200);
    expect(done.text).toContain('Tack');
    await api().post(path).expect(200);
    expect(await consents()).toEqual([expect.objectContaining({
      scope: 'talent_pool', source: 'email_link', textVersion: 'email-link-1-sv', recordedByKeyId: null,
      grantedAt: sut.clock.now().toISOString(),
    })]);
    expect((await api().get(`/api/v1/candidates/${medalist.candidate.id}`).set(sut.admin).expect(200)).body.consent.state).toBe('valid');
    expect(await enrolled()).toContain(medalist.candidate.id);
    const [medal] = (await api().get(`/api/v1/candidates/${medalist.candidate.id}/medals`).set(sut.admin).expect(200)).body.items;
    expect(medal.pool).toEqual({ status: 'enrolled', campaignId });
  });

  it('records consent once when the link page is submitted several times at once', async () => {
    const vacancy = await openVacancy('Double Click Engineer');
    const hire = await candidacy(vacancy.id, 'final', {}, true);
    const medalist = await candidacy(vacancy.id, 'final', { fullName: 'Dana Doubleclick' });
    await decide(medalist.id, { outcome: 'rejected', finalistRank: 2 });
    await close(vacancy.id, { outcome: 'filled', hiredCandidacyId: hire.id }).expect(200);
    const path = await consentLinkOf(medalist.candidate.id);

    const answers = await Promise.all([1, 2, 3].map(() => api().post(path).type('form').send('')));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
    const consents = (await api().get(`/api/v1/candidates/${medalist.candidate.id}/consents`).set(sut.admin).expect(200)).body.items;
    expect(consents).toHaveLength(1);
    const timeline = (await api().get(`/api/v1/candidates/${medalist.candidate.id}/timeline?limit=100`).set(sut.admin).expect(200)).body.items;
    expect(timeline.filter((item: { type: string }) => item.type === 'consent_granted')).toHaveLength(1);
  });

  it('cancels a vacancy: nobody is left waiting, nobody gets a medal', async () => {
    const vacancy = await openVacancy('Cancelled role');
    const finalist = await candidacy(vacancy.id, 'final');
    const applicant = await candidacy(vacancy.id, 'applied');
    expectProblem(await close(vacancy.id, { outcome: 'cancelled', hiredCandidacyId: finalist.id }), 400, ['hiredCandidacyId']);
    const closed = await close(vacancy.id, { outcome: 'cancelled' }).expect(200);
    expect(closed.body).toMatchObject({ vacancy: { status: 'cancelled' }, hiredCandidacyId: null, rejected: 2, medals: [] });
    const due = (await api().get(`/api/v1/feedback/due?vacancyId=${vacancy.id}`).set(sut.admin).expect(200)).body.items;
    expect(due.map((item: { candidacyId: string; channel: string }) => [item.candidacyId, item.channel])).toEqual(
      expect.arrayContaining([[finalist.id, 'phone'], [applicant.id, 'email']]),
    );

    // With someone hired, "cancelled" would hide the hire and withhold the runner-up's medal: it must be filled.
    const filled = await openVacancy('Filled role');
    const hire = await candidacy(filled.id, 'final');
    await decide(hire.id, { outcome: 'hired' });
    const refused = expectProblem(await close(filled.id, { outcome: 'cancelled' }), 409);
    expect(refused).toMatchObject({ code: 'VacancyStateConflict', hiredCandidacyId: hire.id });
    await close(filled.id, { outcome: 'filled', hiredCandidacyId: hire.id }).expect(200);
  });

  it('puts everything between us and the person on one timeline, newest first', async () => {
    await api().put('/api/v1/settings/silver-medalist-campaign').set(sut.admin).send({ campaignId: null }).expect(200);
    const vacancy = await openVacancy('Timeline role');
    const hire = await candidacy(vacancy.id, 'final', {}, true);
    const start = sut.clock.now().getTime();
    const at = (minutes: number) => sut.clock.set(new Date(start + minutes * 60_000));
    const candidate = await addCandidate(sut, { fullName: 'Nils Nyberg' }, { consent: true });
    at(1);
    const person = {
      candidate,
      id: (await api().post('/api/v1/candidacies').set(sut.admin).send({ candidateId: candidate.id, vacancyId: vacancy.id }).expect(201)).body.id,
    };
    at(2);
    await api().post(`/api/v1/candidacies/${person.id}/stage`).set(sut.admin).send({ stage: 'interview' }).expect(200);
    at(3);
    await api().post(`/api/v1/candidacies/${person.id}/stage`).set(sut.admin).send({ stage: 'final' }).expect(200);
    at(4);
    await decide(person.id, { outcome: 'rejected', finalistRank: 2, reasons: [{ criterion: 'kafka', note: 'more Kafka' }] });
    at(6);
    await api().post(`/api/v1/candidacies/${person.id}/feedback`).set(sut.admin).send({
      channel: 'phone', summary: 'You were a close second; Kafka decided it.', givenBy: 'Hanna Manager',
      givenAt: new Date(start + 5 * 60_000).toISOString(),
    }).expect(201);
    at(7);
    await api().post(`/api/v1/candidates/${person.candidate.id}/notes`).set(sut.admin).send({ text: 'Keen on platform roles.' }).expect(201);
    at(7.5);
    await api().post(`/api/v1/candidates/${person.candidate.id}/replies`).set(sut.admin)
      .send({ channel: 'email', summary: 'Thanks for the call!' }).expect(201);
    at(8);
    await close(vacancy.id, { outcome: 'filled', hiredCandidacyId: hire.id }).expect(200);

    const timeline = (await api().get(`/api/v1/candidates/${person.candidate.id}/timeline?limit=100`).set(sut.admin).expect(200)).body;
    const types = timeline.items.map((item: { type: string; payload: { templateKey?: string } }) =>
      item.type === 'email' ? `email:${item.payload.templateKey}` : item.type);
    expect(types.slice(0, 8)).toEqual([
      'medal_awarded', 'reply_received', 'note_added', 'email:feedback_followup', 'feedback_given', 'decision_recorded', 'stage_changed', 'stage_changed',
    ]);
    // Applying writes the candidacy and queues the confirmation in one transaction, at one instant.
    expect(new Set(types.slice(8, 10))).toEqual(new Set(['candidacy_created', 'email:application_received']));
    expect(types.slice(10)).toEqual(['consent_granted']);

    const item = (type: string) => timeline.items.find((entry: { type: string }) => entry.type === type);
    expect(item('reply_received').payload).toEqual({ channel: 'email', summary: 'Thanks for the call!' });
    expect(item('medal_awarded').payload).toEqual({ vacancyId: vacancy.id, vacancyTitle: 'Timeline role', medal: 'silver', rank: 2, gapSkills: ['kafka'] });
    expect(item('feedback_given')).toMatchObject({
      occurredAt: new Date(start + 5 * 60_000).toISOString(),
      payload: { candidacyId: person.id, stage: 'final', channel: 'phone', summary: 'You were a close second; Kafka decided it.', givenBy: 'Hanna Manager' },
    });
    expect(item('decision_recorded').payload).toMatchObject({
      candidacyId: person.id, outcome: 'rejected', stage: 'final', finalistRank: 2, gapSkills: ['kafka'],
      reasons: [{ criterion: 'kafka', gapSkills: ['kafka'], note: 'more Kafka' }],
    });
    expect(timeline.items.filter((entry: { type: string }) => entry.type === 'stage_changed').map((entry: { payload: object }) => entry.payload))
      .toEqual([
        { candidacyId: person.id, vacancyId: vacancy.id, from: 'interview', to: 'final' },
        { candidacyId: person.id, vacancyId: vacancy.id, from: 'applied', to: 'interview' },
      ]);
    expect(item('candidacy_created').payload).toEqual({ candidacyId: person.id, vacancyId: vacancy.id, vacancyTitle: 'Timeline role', stage: 'applied' });
    expect(item('email').payload).toMatchObject({ templateKey: 'feedback_followup', status: 'held' });

    const [medal] = (await api().get(`/api/v1/candidates/${person.candidate.id}/medals`).set(sut.admin).expect(200)).body.items;
    expect(medal.pool).toEqual({ status: 'no_campaign', campaignId: null });
  });
});
