import { DeliveryService } from '../src/email/delivery/delivery.service';
import { SuppressionService } from '../src/email/suppression.service';
import { FeedbackDigestService } from '../src/relationship/feedback-digest.service';
import { addCandidate } from './support/pool';
import { expectProblem } from './support/problem';
import { SmtpSink } from './support/smtp-sink';
import { startTestApp, TestApp } from './support/test-app';

const manager = { name: 'Hanna Manager', email: 'hanna.manager@acme.test' };
const recruiter = { name: 'Rita Recruiter', email: 'rita@acme.test' };
/** Monday 2 March 2026, 10:00 in Stockholm (the FakeClock's start). */
const MONDAY_10 = '2026-03-02T09:00:00Z';

/** The calls a recruiter makes, against one app. */
function relationshipApi(sut: () => TestApp) {
  const api = () => sut().http();
  const admin = () => sut().admin;
  return {
    async openVacancy(fields: Record<string, unknown> = {}): Promise<{ id: string; title: string }> {
      return (await api().post('/api/v1/vacancies').set(admin()).send({
        title: 'Platform Engineer', hiringManager: manager, recruiter, status: 'open', expectedDecisionDate: '2026-04-15',
        criteria: { skills: [{ name: 'kafka', weight: 5 }] }, ...fields,
      }).expect(201)).body;
    },
    /** A new candidate with a candidacy at `stage`, rejected there (or decided otherwise). */
    async decidedAt(vacancyId: string, stage: string, decision: Record<string, unknown> = { outcome: 'rejected' }, fullName?: string) {
      const candidate = await addCandidate(sut(), fullName ? { fullName } : {});
      const id = (await api().post('/api/v1/candidacies').set(admin()).send({ candidateId: candidate.id, vacancyId }).expect(201)).body.id;
      if (stage !== 'applied') await api().post(`/api/v1/candidacies/${id}/stage`).set(admin()).send({ stage }).expect(200);
      const decided = await api().post(`/api/v1/candidacies/${id}/decision`).set(admin()).send(decision).expect(200);
      return { id: id as string, candidate, view: decided.body };
    },
    feedback: (candidacyId: string, body: Record<string, unknown>) =>
      api().post(`/api/v1/candidacies/${candidacyId}/feedback`).set(admin()).send(body),
    async due(query: string) {
      return (await api().get(`/api/v1/feedback/due?${query}`).set(admin()).expect(200)).body;
    },
  };
}

describe('The feedback ladder', () => {
  let sut: TestApp;
  const r = relationshipApi(() => sut);
  const api = () => sut.http();
  const ids = (page: { items: { candidacyId: string }[] }) => page.items.map((item) => item.candidacyId);

  beforeAll(async () => {
    sut = await startTestApp({ COMPANY_NAME: 'Acme', DEFAULT_TIME_ZONE: 'Europe/Stockholm' });
  });
  afterAll(() => sut.close());

  it('serves the default policy and lets only admins replace it, naming every invalid field', async () => {
    const policy = (await api().get('/api/v1/settings/feedback-policy').set(sut.admin).expect(200)).body;
    expect(policy).toEqual({
      confirmation: { enabled: true },
      rejection: {
        applied: { owed: true, channel: 'email', withinBusinessDays: 5, writtenFollowUp: false, owner: 'recruiter', emailTemplate: 'screening_feedback' },
        screening: { owed: true, channel: 'email', withinBusinessDays: 5, writtenFollowUp: false, owner: 'recruiter', emailTemplate: 'screening_feedback' },
        interview: { owed: true, channel: 'phone', withinBusinessDays: 3, writtenFollowUp: true, owner: 'hiring_manager', emailTemplate: 'feedback_followup' },
        final: { owed: true, channel: 'phone', withinBusinessDays: 3, writtenFollowUp: true, owner: 'hiring_manager', emailTemplate: 'feedback_followup' },
        offer: { owed: true, channel: 'phone', withinBusinessDays: 3, writtenFollowUp: true, owner: 'hiring_manager', emailTemplate: 'feedback_followup' },
      },
      publicHolidays: [],
      dueSoonBusinessDays: 1,
    });
    const put = (body: unknown, key = sut.admin) => api().put('/api/v1/settings/feedback-policy').set(key).send(body as object);
    expectProblem(await put(policy, await sut.keyFor('recruiter')), 403);
    const broken = { ...policy, publicHolidays: ['2026-13-01'], rejection: { ...policy.rejection, interview: { ...policy.rejection.interview, channel: 'pigeon' } } };
    expectProblem(await put(broken), 400, ['publicHolidays', 'rejection.interview.channel']);
    const { offer: _offer, ...fourRungs } = policy.rejection;
    expectProblem(await put({ ...policy, rejection: fourRungs }), 400, ['rejection.offer']);

    const saved = await put({ ...policy, publicHolidays: ['2026-12-25', '2026-12-24', '2026-12-25'] }).expect(200);
    expect(saved.body.publicHolidays).toEqual(['2026-12-24', '2026-12-25']);
    expect((await api().get('/api/v1/settings/feedback-policy').set(await sut.keyFor('viewer')).expect(200)).body).toEqual(saved.body);
  });

  it('gives each rung its deadline in business days, over a weekend and over public holidays', async () => {
    const vacancy = await r.openVacancy();
    // Thursday 5 March, 14:00 in Stockholm: the weekend falls inside every deadline.
    sut.clock.set('2026-03-05T13:00:00Z');
    const dueOf = async (stage: string, decision?: Record<string, unknown>) => (await r.decidedAt(vacancy.id, stage, decision)).view.feedbackDue;
    expect(await dueOf('applied')).toMatchObject({ stage: 'applied', channel: 'email', owner: 'recruiter', dueOn: '2026-03-12' });
    expect(await dueOf('screening')).toEqual({
      stage: 'screening', channel: 'email', owner: 'recruiter', writtenFollowUp: false,
      dueOn: '2026-03-12', dueAt: '2026-03-12T23:00:00.000Z', closedAt: null, feedbackId: null,
    });
    expect(await dueOf('interview')).toMatchObject({ channel: 'phone', owner: 'hiring_manager', writtenFollowUp: true, dueOn: '2026-03-10' });
    expect(await dueOf('final', { outcome: 'rejected', finalistRank: 2 })).toMatchObject({ channel: 'phone', dueOn: '2026-03-10' });
    expect(await dueOf('final', { outcome: 'withdrew' })).toBeNull();
    expect(await dueOf('offer', { outcome: 'hired' })).toBeNull();

    // Tuesday 22 December: 24 and 25 December are holidays, 26-27 a weekend.
    sut.clock.set('2026-12-22T09:00:00Z');
    expect((await dueOf('interview')).dueOn).toBe('2026-12-29');
    expect((await dueOf('screening')).dueOn).toBe('2026-12-31');
    sut.clock.set(MONDAY_10);
  });

  it('lists what is owed by urgency, and what is overdue or due soon as the clock moves', async () => {
    sut.clock.set(MONDAY_10);
    const vacancy = await r.openVacancy({ title: 'Backend Engineer' });
    const screened = await r.decidedAt(vacancy.id, 'screening', undefined, 'Alva Lindqvist');
    const interviewed = await r.decidedAt(vacancy.id, 'interview', undefined, 'Omar Haddad');
    const scope = `vacancyId=${vacancy.id}`;

    const open = await r.due(scope);
    expect(ids(open)).toEqual([interviewed.id, screened.id]);
    expect(open.items[0]).toEqual({
      candidacyId: interviewed.id,
      candidate: { id: interviewed.candidate.id, fullName: 'Omar Haddad' },
      vacancy: { id: vacancy.id, title: 'Backend Engineer' },
      stage: 'interview',
      channel: 'phone',
      owner: { role: 'hiring_manager', ...manager },
      decidedAt: '2026-03-02T09:00:00.000Z',
      dueOn: '2026-03-05',
      dueAt: '2026-03-05T23:00:00.000Z',
      state: 'upcoming',
      daysLate: 0,
    });
    expect(open.items[1].owner).toEqual({ role: 'recruiter', ...recruiter });
    expect(ids(await r.due(`${scope}&state=overdue`))).toEqual([]);
    expect(ids(await r.due(`${scope}&state=due-soon`))).toEqual([]);

    expect(ids(await r.due(`${scope}&state=upcoming`))).toEqual([interviewed.id, screened.id]);

    sut.clock.set('2026-03-04T09:00:00Z'); // Wednesday: Thursday's deadline is one business day away.
    expect(ids(await r.due(`${scope}&state=due-soon`))).toEqual([interviewed.id]);
    expect(ids(await r.due(`${scope}&state=upcoming`))).toEqual([screened.id]);
    expect(ids(await r.due(`${scope}&state=overdue`))).toEqual([]);

    sut.clock.set('2026-03-06T07:00:00Z'); // Friday morning: a day late.
    const late = await r.due(`${scope}&state=overdue`);
    expect(late.items).toEqual([expect.objectContaining({ candidacyId: interviewed.id, state: 'overdue', daysLate: 1 })]);

    sut.clock.set('2026-03-10T09:00:00Z'); // Tuesday after: both are late.
    const both = await r.due(`${scope}&state=overdue`);
    expect(both.items.map((item: { daysLate: number }) => item.daysLate)).toEqual([5, 1]);
    expect(ids(await r.due(`${scope}&ownerEmail=RITA@acme.test`))).toEqual([screened.id]);
    const first = await r.due(`${scope}&limit=1`);
    expect(ids(await r.due(`${scope}&limit=1&cursor=${first.nextCursor}`))).toEqual([screened.id]);
    expectProblem(await api().get('/api/v1/feedback/due?state=late').set(sut.admin), 400, ['state']);
    sut.clock.set(MONDAY_10);
  });

  it('closes the deadline with feedback given: a call with its written follow-up, or a personal email', async () => {
    sut.clock.set(MONDAY_10);
    const vacancy = await r.openVacancy({ title: 'SRE' });
    const finalist = await r.decidedAt(vacancy.id, 'final', {
      outcome: 'rejected', finalistRank: 2, reasons: [{ criterion: 'kafka', note: 'more Kafka in production' }],
      promise: { text: 'We will call you first for the next SRE role.' },
    }, 'Maja Berg');
    const screened = await r.decidedAt(vacancy.id, 'screening', undefined, 'Leo Ek');
    const scope = `vacancyId=${vacancy.id}`;

    sut.clock.set('2026-03-06T10:00:00Z'); // the call is a day late
    expectProblem(await r.feedback(finalist.id, { channel: 'phone', summary: 'x'.repeat(1001), givenBy: 'Hanna' }), 400, ['summary']);
    expectProblem(await r.feedback(finalist.id, { channel: 'phone', summary: 'ok', givenBy: 'Hanna', givenAt: '2026-03-07T10:00:00Z' }), 400, ['givenAt']);
    expectProblem(await r.feedback(finalist.id, { channel: 'fax', summary: 'ok', givenBy: 'Hanna', internalNote: 'x' }), 400, ['channel', 'internalNote']);
    expectProblem(await r.feedback(screened.id, { channel: 'email', summary: 'ok', givenBy: 'Rita', stage: 'final' }), 400, ['stage']);
    // Backdating cannot turn a late call into an on-time one: not before the decision, not on an earlier day,
    // and a bare date (midnight UTC, not the organisation's) is not a time.
    const backdated = (givenAt: string) => ({ channel: 'phone', summary: 'ok', givenBy: 'Hanna', givenAt });
    expect(expectProblem(await r.feedback(finalist.id, backdated('2020-01-01T10:00:00Z')), 400, ['givenAt']).errors[0].messages[0])
      .toMatch(/^givenAt cannot be before the decision/);
    expect(expectProblem(await r.feedback(finalist.id, backdated('2026-03-05T10:00:00Z')), 400, ['givenAt']).errors[0].messages)
      .toEqual(['givenAt may be earlier today, not on an earlier day']);
    expectProblem(await r.feedback(finalist.id, backdated('2026-03-06')), 400, ['givenAt']);
    // Feedback follows a rejection: not for someone still in process, nor for the hire.
    const pending = (await api().post('/api/v1/candidacies').set(sut.admin)
      .send({ candidateId: (await addCandidate(sut)).id, vacancyId: vacancy.id }).expect(201)).body.id;
    const hired = await r.decidedAt(vacancy.id, 'final', { outcome: 'hired' });
    for (const id of [pending, hired.id]) {
      expect(expectProblem(await r.feedback(id, { channel: 'email', summary: 'ok', givenBy: 'Rita', stage: 'screening' }), 409).code)
        .toBe('CandidacyStateConflict');
    }

    const call = await r.feedback(finalist.id, {
      channel: 'phone', givenBy: 'Hanna Manager', givenAt: '2026-03-06T09:30:00Z', gapSkills: ['Apache Kafka'],
      summary: 'Your case was one of the strongest; we chose someone with more Kafka in production.',
    });
    expect(call.status).toBe(201);
    expect(call.body).toMatchObject({
      candidacyId: finalist.id, stage: 'final', channel: 'phone', gapSkills: ['kafka'], givenAt: '2026-03-06T09:30:00.000Z',
      emailId: null, followUpEmailId: expect.any(String),
      closedDeadline: { dueOn: '2026-03-05', onTime: false },
    });
    const followUp = (await api().get(`/api/v1/emails/${call.body.followUpEmailId}`).set(sut.admin).expect(200)).body;
    expect(followUp).toMatchObject({ templateKey: 'feedback_followup', subject: 'Summary of our conversation about SRE' });
    expect(followUp.textBody).toContain('Your case was one of the strongest; we chose someone with more Kafka in production.');
    expect(followUp.textBody).toContain('mainly experience with kafka');
    expect(followUp.textBody).toContain('Our promise to you: We will call you first for the next SRE role.');

    const email = await r.feedback(screened.id, { channel: 'email', givenBy: 'Rita Recruiter', summary: 'We need more hands-on Kafka.' }).expect(201);
    expect(email.body).toMatchObject({ channel: 'email', emailId: expect.any(String), followUpEmailId: null, closedDeadline: { onTime: true } });
    const sent = (await api().get(`/api/v1/emails/${email.body.emailId}`).set(sut.admin).expect(200)).body;
    expect(sent).toMatchObject({ templateKey: 'screening_feedback', subject: 'Your application for SRE' });
    expect(sent.textBody).toContain('“We need more hands-on Kafka.”');
    expect(sent.textBody).toContain('Rita Recruiter');
    expectProblem(await r.feedback(screened.id, { channel: 'email', givenBy: 'R', summary: 'x', givenAt: '2026-03-06T09:00:00Z' }), 400, ['givenAt']);

    expect((await r.due(scope)).items).toEqual([]);
    const view = (await api().get(`/api/v1/candidacies/${finalist.id}`).set(sut.admin).expect(200)).body;
    expect(view.feedbackDue).toMatchObject({ closedAt: '2026-03-06T10:00:00.000Z', feedbackId: call.body.id });
    expect(view.feedback).toEqual([expect.objectContaining({ id: call.body.id, summary: call.body.summary, givenBy: 'Hanna Manager' })]);
    sut.clock.set(MONDAY_10);
  });

  it('closes a deadline only with the feedback owed: not an email where a call is owed, not one about another stage', async () => {
    sut.clock.set(MONDAY_10);
    const vacancy = await r.openVacancy({ title: 'Ladder role' });
    const finalist = await r.decidedAt(vacancy.id, 'final', { outcome: 'rejected', finalistRank: 2 }, 'Alva Ladder');
    const scope = `vacancyId=${vacancy.id}`;

    const shallow = await r.feedback(finalist.id, { channel: 'email', givenBy: 'Rita', summary: 'Thanks, no.', stage: 'applied' }).expect(201);
    expect(shallow.body).toMatchObject({ stage: 'applied', channel: 'email', closedDeadline: null });
    const anEmail = await r.feedback(finalist.id, { channel: 'email', givenBy: 'Rita', summary: 'We went another way.' }).expect(201);
    expect(anEmail.body).toMatchObject({ stage: 'final', closedDeadline: null });
    expect(ids(await r.due(scope))).toEqual([finalist.id]);

    const call = await r.feedback(finalist.id, { channel: 'phone', givenBy: 'Hanna Manager', summary: 'Strong case; more Kafka needed.' }).expect(201);
    expect(call.body.closedDeadline).toMatchObject({ onTime: true });
    expect((await r.due(scope)).items).toEqual([]);
  });

  it('refuses email feedback to an address on the suppression list, recording nothing, so the deadline stays open', async () => {
    sut.clock.set(MONDAY_10);
    const vacancy = await r.openVacancy({ title: 'Bounce role' });
    const screened = await r.decidedAt(vacancy.id, 'screening', undefined, 'Bo Bounce');
    await sut.app.get(SuppressionService).suppress(screened.candidate.email, 'hard_bounce');

    const refused = expectProblem(await r.feedback(screened.id, { channel: 'email', givenBy: 'Rita', summary: 'Thanks for applying.' }), 422);
    expect(refused).toMatchObject({ code: 'CandidateEmailSuppressed', candidateId: screened.candidate.id });
    const view = (await api().get(`/api/v1/candidacies/${screened.id}`).set(sut.admin).expect(200)).body;
    expect(view.feedback).toEqual([]);
    expect(view.feedbackDue).toMatchObject({ closedAt: null });

    const call = await r.feedback(screened.id, { channel: 'phone', givenBy: 'Rita', summary: 'Called instead.', writtenFollowUp: false }).expect(201);
    expect(call.body.closedDeadline).toMatchObject({ onTime: true });
  });

  it('records and emails feedback sent twice under one Idempotency-Key once, and answers the repeat as the first', async () => {
    sut.clock.set(MONDAY_10);
    const vacancy = await r.openVacancy({ title: 'Data Engineer' });
    const screened = await r.decidedAt(vacancy.id, 'screening', undefined, 'Iris Holm');
    const body = { channel: 'email', givenBy: 'Rita Recruiter', summary: 'We need more hands-on Kafka.' };
    const send = (key: string, fields: Record<string, unknown> = body) =>
      api().post(`/api/v1/candidacies/${screened.id}/feedback`).set(sut.admin).set('Idempotency-Key', key).send(fields);

    // A double click: both at once.
    const [first, second] = await Promise.all([send('click-1'), send('click-1')]);
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.body).toEqual(first.body);
    expect([first.headers['idempotent-replayed'], second.headers['idempotent-replayed']].sort()).toEqual(['true', undefined]);
    // Later, with the fields in another order and the clock moved on: still the same answer.
    sut.clock.set('2026-03-03T09:00:00Z');
    const retried = await send('click-1', { summary: body.summary, givenBy: body.givenBy, channel: 'email' }).expect(201);
    expect(retried.body).toEqual(first.body);
    expect(retried.body).toMatchObject({ emailId: expect.any(String), closedDeadline: { onTime: true } });

    const reused = await send('click-1', { ...body, summary: 'Something else entirely.' });
    expect(expectProblem(reused, 422).code).toBe('IdempotencyKeyReused');
    expectProblem(await send('has space'), 400, ['Idempotency-Key']);
    expectProblem(await send('k'.repeat(256)), 400, ['Idempotency-Key']);

    const emails = (await api().get('/api/v1/emails').query({ candidateId: screened.candidate.id }).set(sut.admin).expect(200)).body.items;
    expect(emails.filter((email: { templateKey: string }) => email.templateKey === 'screening_feedback')).toHaveLength(1);
    const view = (await api().get(`/api/v1/candidacies/${screened.id}`).set(sut.admin).expect(200)).body;
    expect(view.feedback.map((given: { id: string }) => given.id)).toEqual([first.body.id]);
    // A new key is new feedback.
    const more = await send('click-2', { ...body, summary: 'One more thing: the Kafka course we mentioned.' }).expect(201);
    expect(more.body.id).not.toBe(first.body.id);
    expect(more.headers['idempotent-replayed']).toBeUndefined();
    sut.clock.set(MONDAY_10);
  });

  it('reports per stage: owed, given, on time, median and p90 time to feedback, ghosted', async () => {
    sut.clock.set(MONDAY_10);
    const vacancy = await r.openVacancy({ title: 'Stats role' });
    const s1 = await r.decidedAt(vacancy.id, 'screening');
    const s2 = await r.decidedAt(vacancy.id, 'screening');
    await r.decidedAt(vacancy.id, 'screening'); // never answered: ghosted
    const i1 = await r.decidedAt(vacancy.id, 'interview');
    await r.decidedAt(vacancy.id, 'interview', { outcome: 'withdrew' }); // owes nothing
    const phone = (givenAt: string) => ({ channel: 'phone', summary: 'Thank you', givenBy: 'Hanna', givenAt, writtenFollowUp: false });

    sut.clock.set('2026-03-03T09:00:00Z');
    await r.feedback(s1.id, { channel: 'email', summary: 'Thank you', givenBy: 'Rita' }).expect(201); // 24 h
    sut.clock.set('2026-03-04T15:00:00Z');
    await r.feedback(i1.id, phone('2026-03-04T09:00:00Z')).expect(201); // 48 h, recorded later that day
    sut.clock.set('2026-03-10T09:00:00Z');
    await r.feedback(s2.id, phone('2026-03-10T09:00:00Z')).expect(201); // 192 h, a day late
    sut.clock.set('2026-03-12T12:00:00Z');

    const stats = (await api().get(`/api/v1/feedback/stats?vacancyId=${vacancy.id}&from=2026-03-01&to=2026-03-02`).set(sut.admin).expect(200)).body;
    expect(stats.from).toBe('2026-02-28T23:00:00.000Z');
    expect(stats.to).toBe('2026-03-02T23:00:00.000Z');
    const stage = (name: string) => stats.stages.find((s: { stage: string }) => s.stage === name);
    expect(stage('screening')).toEqual({
      stage: 'screening', owing: 3, given: 2, givenOnTime: 1, onTimePercent: 33.3,
      medianHoursToFeedback: 108, p90HoursToFeedback: 175.2, ghosted: 1,
    });
    expect(stage('interview')).toEqual({
      stage: 'interview', owing: 1, given: 1, givenOnTime: 1, onTimePercent: 100,
      medianHoursToFeedback: 48, p90HoursToFeedback: 48, ghosted: 0,
    });
    expect(stage('final')).toEqual({
      stage: 'final', owing: 0, given: 0, givenOnTime: 0, onTimePercent: null, medianHoursToFeedback: null, p90HoursToFeedback: null, ghosted: 0,
    });
    expect(stats.total).toEqual({
      owing: 4, given: 3, givenOnTime: 2, onTimePercent: 50, medianHoursToFeedback: 48, p90HoursToFeedback: 163.2, ghosted: 1,
    });

    const later = (await api().get(`/api/v1/feedback/stats?vacancyId=${vacancy.id}&from=2026-03-03`).set(sut.admin).expect(200)).body;
    expect(later.total.owing).toBe(0);
    expectProblem(await api().get('/api/v1/feedback/stats?from=2026-03-05&to=2026-03-01').set(sut.admin), 400, ['from']);
    expectProblem(await api().get('/api/v1/feedback/stats?from=yesterday').set(sut.admin), 400, ['from']);
    sut.clock.set(MONDAY_10);
  });
});

describe(FeedbackDigestService.name, () => {
  const sink = new SmtpSink();
  let first: TestApp;
  let second: TestApp;
  const r = relationshipApi(() => first);
  const both = (time: string) => [first, second].forEach((app) => app.clock.set(time));
  const runOnBoth = () => Promise.all([first, second].map((app) => app.app.get(FeedbackDigestService).runDaily()));
  const deliver = () => first.app.get(DeliveryService).deliverDue();

  beforeAll(async () => {
    const env = { SMTP_URL: await sink.start(), SEND_WINDOW: 'always', EMAIL_RATE_PER_SECOND: '1000', FEEDBACK_DIGEST_HOUR: '8', DEFAULT_LOCALE: 'en' };
    first = await startTestApp(env);
    second = await startTestApp(env, { databaseUrl: first.databaseUrl });
  });
  afterAll(async () => {
    await second.close();
    await first.close();
    await sink.stop();
  });

  it('waits for the hour, and sends nothing when nothing is due', async () => {
    both('2026-03-02T06:30:00Z'); // 07:30 in Stockholm
    expect(await runOnBoth()).toEqual([
      { day: '2026-03-02', ran: false, digests: 0, items: 0, decisionsOverdue: 0, privacyRequests: 0 },
      { day: '2026-03-02', ran: false, digests: 0, items: 0, decisionsOverdue: 0, privacyRequests: 0 },
    ]);
    both('2026-03-02T07:05:00Z');
    const reports = await runOnBoth();
    expect(reports.filter((report) => report.ran)).toEqual([{ day: '2026-03-02', ran: true, digests: 0, items: 0, decisionsOverdue: 0, privacyRequests: 0 }]);
    await deliver();
    expect(sink.received).toHaveLength(0);
  });

  it('sends each owner one digest of their overdue and due-soon items, once a day across two instances', async () => {
    both('2026-03-03T09:00:00Z'); // Tuesday: interview due Friday 6, screening due Tuesday 10
    const vacancy = await r.openVacancy({ title: 'Digest role' });
    await r.decidedAt(vacancy.id, 'interview', undefined, 'Alva Lindqvist');
    await r.decidedAt(vacancy.id, 'screening', undefined, 'Omar Haddad');
    both('2026-03-06T09:00:00Z'); // Friday: this screening rejection is due on Friday 13, not soon on Monday
    await r.decidedAt(vacancy.id, 'screening', undefined, 'Not Yet');

    both('2026-03-09T07:05:00Z');
    const reports = await runOnBoth();
    expect(reports.filter((report) => report.ran)).toEqual([{ day: '2026-03-09', ran: true, digests: 2, items: 2, decisionsOverdue: 0, privacyRequests: 0 }]);
    expect(await runOnBoth()).toEqual([expect.objectContaining({ ran: false }), expect.objectContaining({ ran: false })]);
    await deliver();

    const toManager = sink.to(manager.email);
    expect(toManager).toHaveLength(1);
    expect(toManager[0].subject).toBe('Candidates waiting for feedback');
    expect(toManager[0].text).toContain('Hi Hanna Manager,');
    expect(toManager[0].text).toContain('- Alva Lindqvist – Digest role (Interview)');
    expect(toManager[0].text).toContain('Feedback due Friday, 6 March 2026 · Days overdue: 3');
    expect(toManager[0].text).not.toContain('Omar Haddad');
    // Names and titles are isolated: one with a right-to-left override would reorder the rest of its line.
    expect(toManager[0].html).toContain('<strong><bdi>Alva Lindqvist</bdi></strong> – <bdi>Digest role</bdi> (Interview)');

    const toRecruiter = sink.to(recruiter.email);
    expect(toRecruiter).toHaveLength(1);
    expect(toRecruiter[0].text).toContain('- Omar Haddad – Digest role (Phone screen)');
    expect(toRecruiter[0].text).toContain('Feedback due Tuesday, 10 March 2026');
    expect(toRecruiter[0].text).not.toContain('Days overdue');
    expect([...toManager, ...toRecruiter].map((mail) => mail.text).join('\n')).not.toContain('Not Yet');

    both('2026-03-10T07:05:00Z');
    expect((await runOnBoth()).filter((report) => report.ran)).toEqual([expect.objectContaining({ day: '2026-03-10', digests: 2 })]);
    // Sent now: delivered together with the next day's, the two could reach the sink in either order.
    await deliver();

    // The recruiter's address bounced: their items reach the hiring manager rather than nobody.
    await first.app.get(SuppressionService).suppress(recruiter.email, 'hard_bounce');
    both('2026-03-11T07:05:00Z');
    expect((await runOnBoth()).filter((report) => report.ran)).toEqual([expect.objectContaining({ day: '2026-03-11', digests: 1, items: 2 })]);
    await deliver();
    const latest = sink.to(manager.email).at(-1)!;
    expect(latest.text).toContain('- Omar Haddad – Digest role (Phone screen)');
    expect(latest.text).toContain('- Alva Lindqvist – Digest role (Interview)');
  });

  it('lists the 50 most overdue of a long list and counts the rest, where the whole list went past the size cap', async () => {
    both('2026-04-01T09:00:00Z');
    const vacancy = await r.openVacancy({ title: 'Crowded role', recruiter: undefined });
    for (let i = 0; i < 53; i++) await r.decidedAt(vacancy.id, 'interview', undefined, `Crowd Person ${i}`);
    both('2026-04-14T07:05:00Z');
    const [report] = (await runOnBoth()).filter((run) => run.ran);
    expect(report).toMatchObject({ digests: 1, items: expect.any(Number) });
    expect(report.items).toBeGreaterThanOrEqual(53);
    await deliver();
    const digest = sink.to(manager.email).at(-1)!;
    const listed = digest.text.split('waiting for feedback from you.')[1].split('…and')[0];
    expect(listed.match(/^- /gm)).toHaveLength(50);
    expect(digest.text).toContain(`…and ${report.items - 50} more, listed in Silverpool.`);
  });

  it('lists people still in process after the decision date their confirmation promised', async () => {
    both('2026-03-18T09:00:00Z');
    const vacancy = await r.openVacancy({ title: 'Promise role', recruiter: undefined, expectedDecisionDate: '2026-03-20' });
    const waiting = await addCandidate(first, { fullName: 'Wera Waiting' });
    const waitingId = (await first.http().post('/api/v1/candidacies').set(first.admin).send({ candidateId: waiting.id, vacancyId: vacancy.id }).expect(201)).body.id;
    await first.http().post(`/api/v1/candidacies/${waitingId}/stage`).set(first.admin).send({ stage: 'interview' }).expect(200);
    await r.decidedAt(vacancy.id, 'screening', undefined, 'Decided Dora');

    both('2026-03-20T07:05:00Z'); // the promised day itself: not late yet
    const onTheDay = (await runOnBoth()).filter((report) => report.ran);
    expect(onTheDay).toEqual([expect.objectContaining({ day: '2026-03-20', decisionsOverdue: 0 })]);
    await deliver();

    both('2026-03-23T07:05:00Z');
    expect((await runOnBoth()).filter((report) => report.ran)).toEqual([expect.objectContaining({ day: '2026-03-23', decisionsOverdue: 1 })]);
    await deliver();
    const waitingFor = sink.to(manager.email).filter((mail) => mail.text.includes('Still waiting for a decision'));
    expect(waitingFor).toHaveLength(1);
    const [digest] = waitingFor;
    expect(digest.text).toContain('- Wera Waiting – Promise role (Interview)\n  Answer promised by Friday, 20 March 2026 · Days overdue: 3');
    expect(digest.text.split('Still waiting for a decision')[1]).not.toContain('Decided Dora');
  });
});
