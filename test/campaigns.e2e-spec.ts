import { DataSource } from 'typeorm';
import { EnrollmentStepAnchor1764465400000 } from '../migrations/1764465400000-EnrollmentStepAnchor';
import { CampaignRunner } from '../src/campaign/campaign-runner.service';
import { DeliveryService } from '../src/email/delivery/delivery.service';
import { SuppressionService } from '../src/email/suppression.service';
import { addCandidate } from './support/pool';
import { expectProblem } from './support/problem';
import { ReceivedMail, SmtpSink } from './support/smtp-sink';
import { startTestApp, TestApp } from './support/test-app';

const DAY = 86_400_000;
const ENV = { SEND_WINDOW: 'always', NURTURE_MIN_GAP: 'P14D', EMAIL_RATE_PER_SECOND: '1000', PUBLIC_BASE_URL: 'https://talent.acme.test' };
const checkin = (delay: string) => ({ templateKey: 'nurture_checkin', delay });
/** mailparser folds List-* headers into one object; read the raw header instead. */
const unsubscribeLink = (mail: ReceivedMail) => /^List-Unsubscribe:\s*<([^>]+)>/m.exec(mail.raw)?.[1] ?? '';
let cohorts = 0;
/** A tag only this test's candidates carry, so each test's audience is its own. */
const cohort = () => `cohort-${++cohorts}`;

describe('Nurture campaigns', () => {
  const sink = new SmtpSink();
  let sut: TestApp;
  const api = () => sut.http();
  const runDue = (app: TestApp = sut) => app.app.get(CampaignRunner).runDue();
  const round = () => runDue().then(() => sut.app.get(DeliveryService).deliverDue());
  const mailTo = (candidate: { email: string }) => sink.to(candidate.email);
  const person = (tag: string, fields: Record<string, unknown> = {}, consent = true) =>
    addCandidate(sut, { tags: [tag], ...fields }, { consent });

  async function campaign(body: Record<string, unknown>, activate = true): Promise<{ id: string; [key: string]: unknown }> {
    const created = await api().post('/api/v1/campaigns').set(sut.admin).send({ name: 'Check-in', ...body });
    expect(created.status).toBe(201);
    if (activate) await api().post(`/api/v1/campaigns/${created.body.id}/resume`).set(sut.admin).expect(200);
    return created.body;
  }
  const enrollments = async (campaignId: string): Promise<Record<string, unknown>[]> =>
    (await api().get(`/api/v1/campaigns/${campaignId}/enrollments?limit=100`).set(sut.admin).expect(200)).body.items;
  const enrollmentOf = async (campaignId: string, candidateId: string) =>
    (await enrollments(campaignId)).find((item) => item.candidateId === candidateId);
  /** As a mail client does with the RFC 8058 header of the first email they got. */
  const unsubscribeThroughLink = (candidate: { email: string }) =>
    api().post(new URL(unsubscribeLink(mailTo(candidate)[0])).pathname).type('form').send('List-Unsubscribe=One-Click').expect(200);
  const emailsOf = async (candidateId: string): Promise<Record<string, unknown>[]> =>
    (await api().get(`/api/v1/emails?candidateId=${candidateId}&limit=100`).set(sut.admin).expect(200)).body.items;
  /** Pause, replace the steps, resume: steps change only while a campaign is paused. */
  const editSteps = async (campaignId: string, steps: Record<string, string>[]) => {
    await api().post(`/api/v1/campaigns/${campaignId}/pause`).set(sut.admin).expect(200);
    await api().patch(`/api/v1/campaigns/${campaignId}`).set(sut.admin).send({ steps }).expect(200);
    await api().post(`/api/v1/campaigns/${campaignId}/resume`).set(sut.admin).expect(200);
  };
  const stats = async (campaignId: string) =>
    (await api().get(`/api/v1/campaigns/${campaignId}/stats`).set(sut.admin).expect(200)).body;

  beforeAll(async () => {
    sut = await startTestApp({ SMTP_URL: await sink.start(), ...ENV });
  });
  afterAll(async () => {
    await sut.close();
    await sink.stop();
  });

  it('creates, lists, edits and moves campaigns through their statuses, naming every invalid field', async () => {
    const post = (body: Record<string, unknown>) => api().post('/api/v1/campaigns').set(sut.admin).send(body);
    expectProblem(await post({ name: 'x', steps: [checkin('14 days')] }), 400, ['steps.0.delay']);
    expectProblem(await post({ name: '   ', steps: [checkin('P1D')] }), 400, ['name']);
    // A delay of a million years made an Invalid Date that stopped every campaign's round.
    expectProblem(await post({ name: 'x', steps: [checkin('P1000000Y')] }), 400, ['steps.0.delay']);
    expectProblem(await post({ name: 'x', steps: [checkin('P1D'), { templateKey: 'no_such_template', delay: 'P1D' }] }), 400, ['steps.1.templateKey']);
    expectProblem(await post({ name: 'x', steps: [{ templateKey: 'feedback_digest', delay: 'P1D' }] }), 400, ['steps.0.templateKey']);
    expectProblem(await post({ name: 'x', steps: [checkin('P1D')], colour: 'red', audience: { shoeSize: 44 } }), 400, ['colour', 'audience.shoeSize']);
    expectProblem(await post({ name: 'x', steps: [] }), 400, ['steps']);
    // A filter that names nothing is refused: dropped, it would have left an audience of the whole pool.
    for (const audience of [{ tags: ['  '] }, { tags: ['\u200b'] }, { skills: ['-'] }, { skills: ['go', '🙂'] }, { city: '   ' }]) {
      const field = `audience.${Object.keys(audience)[0]}`;
      expectProblem(await post({ name: 'x', steps: [checkin('P1D')], audience }), 400, [field]);
    }

    const created = await campaign({ name: 'Autumn', audience: { skills: ['JS', 'ts'], tags: [' Remote '], country: 'se' }, steps: [checkin('P14D')] }, false);
    expect(created).toMatchObject({
      status: 'draft',
      audience: { skills: ['javascript', 'typescript'], tags: ['remote'], country: 'SE' },
      steps: [{ position: 1, templateKey: 'nurture_checkin', delay: 'P14D' }],
    });
    const path = `/api/v1/campaigns/${created.id}`;
    expect((await api().get(path).set(sut.admin).expect(200)).body).toEqual(created);
    sut.clock.advance(1000);
    await campaign({ name: 'Second', steps: [checkin('P1D')] }, false);
    const first = await api().get('/api/v1/campaigns?limit=1').set(sut.admin).expect(200);
    expect(first.body.items.map((item: { name: string }) => item.name)).toEqual(['Second']);
    const next = await api().get(`/api/v1/campaigns?limit=1&cursor=${first.body.nextCursor}`).set(sut.admin).expect(200);
    expect(next.body.items.map((item: { name: string }) => item.name)).toEqual(['Autumn']);

    const patch = (body: Record<string, unknown>) => api().patch(path).set(sut.admin).send(body);
    expectProblem(await api().post(`${path}/pause`).set(sut.admin), 409);
    expect((await patch({ status: 'active', name: 'Autumn check-in' }).expect(200)).body).toMatchObject({ status: 'active', name: 'Autumn check-in' });
    expect(expectProblem(await patch({ steps: [checkin('P1D')] }), 409).code).toBe('CampaignStateConflict');
    // Leaving a field out keeps it; null is not a name or a status.
    expectProblem(await patch({ name: null, status: null, steps: null, audience: null }), 400, ['name', 'status', 'steps', 'audience']);
    expect((await api().post(`${path}/pause`).set(sut.admin).expect(200)).body.status).toBe('paused');
    const edited = await patch({ steps: [checkin('P1D'), checkin('P30D')], audience: { city: 'Malmö' } }).expect(200);
    expect(edited.body).toMatchObject({ audience: { city: 'Malmö' }, steps: [{ position: 1 }, { position: 2, delay: 'P30D' }] });
    expectProblem(await patch({ status: 'draft' }), 409);
    expect((await patch({ status: 'archived' }).expect(200)).body.status).toBe('archived');
    expect(expectProblem(await api().post(`${path}/resume`).set(sut.admin), 409).code).toBe('CampaignArchived');
    expectProblem(await patch({ name: 'Renamed' }), 409);
    expectProblem(await api().get('/api/v1/campaigns/00000000-0000-4000-8000-000000000000').set(sut.admin), 404);
    expectProblem(await api().get('/api/v1/campaigns/not-a-uuid').set(sut.admin), 400, ['id']);
  });

  it('enrols only the audience, only people with valid consent, and never twice', async () => {
    const tag = cohort();
    const match = await person(tag, { skills: [{ name: 'TypeScript' }], country: 'SE' });
    const otherCountry = await person(tag, { skills: [{ name: 'TypeScript' }], country: 'NO' });
    const otherSkill = await person(tag, { skills: [{ name: 'Python' }], country: 'SE' });
    const noConsent = await person(tag, { skills: [{ name: 'TypeScript' }], country: 'SE' }, false);
    await person(cohort(), { skills: [{ name: 'TypeScript' }], country: 'SE' });
    const both = await person(tag, { skills: [{ name: 'ts' }, { name: 'postgres' }], country: 'SE' });
    const audience = { skills: ['typescript', 'postgresql'], tags: [tag.toUpperCase()], country: 'SE' };
    const anySkill = await campaign({ audience, steps: [checkin('P1D')] }, false);
    const allSkills = await campaign({ audience: { ...audience, match: 'all' }, steps: [checkin('P1D')] });
    await runDue();
    expect(await enrollments(anySkill.id)).toEqual([]);
    expect((await enrollments(allSkills.id)).map((e) => e.candidateId)).toEqual([both.id]);
    await api().post(`/api/v1/campaigns/${allSkills.id}/pause`).set(sut.admin).expect(200);
    await api().post(`/api/v1/campaigns/${anySkill.id}/resume`).set(sut.admin).expect(200);
    await runDue();
    await runDue();
    const enrolled = await enrollments(anySkill.id);
    expect(enrolled.map((e) => e.candidateId).sort()).toEqual([match.id, both.id].sort());
    expect(enrolled[0]).toMatchObject({ source: 'audience', status: 'active', nextStep: 1 });
    await api().post(`/api/v1/candidates/${noConsent.id}/consents`).set(sut.admin)
      .send({ scope: 'talent_pool', textVersion: 'v1', source: 'verbal' }).expect(201);
    await runDue();
    expect(await enrollments(anySkill.id)).toHaveLength(3);
    await round();
    expect(mailTo(match)).toHaveLength(0);
    sut.clock.advance(DAY);
    await round();
    for (const candidate of [match, both, noConsent]) expect(mailTo(candidate)).toHaveLength(1);
    for (const candidate of [otherCountry, otherSkill]) expect(mailTo(candidate)).toHaveLength(0);
    const [mail] = mailTo(match);
    expect(unsubscribeLink(mail)).toMatch(/^https:\/\/talent\.acme\.test\/u\//);
    expect(mail.text).toContain('https://talent.acme.test/p/');
  });

  it('keeps finding an audience skill after an alias merges it into another skill', async () => {
    const tag = cohort();
    const older = await person(tag, { skills: [{ name: `vuejs-${tag}` }] });
    const newer = await person(tag, { skills: [{ name: `vue-${tag}` }] });
    const target = await campaign({ audience: { skills: [`vuejs-${tag}`], tags: [tag] }, steps: [checkin('P1D')] });
    // vuejs-… becomes an alias of vue-…: its holders move to vue-…, and the skill vuejs-… is gone.
    await api().post('/api/v1/skills/aliases').set(sut.admin).send({ alias: `vuejs-${tag}`, skill: `vue-${tag}`, merge: true }).expect(201);
    await runDue();
    expect((await enrollments(target.id)).map((e) => e.candidateId).sort()).toEqual([older.id, newer.id].sort());
  });

  it('refuses to enrol by hand anyone who may not get nurture email, or who is already in', async () => {
    const target = await campaign({ audience: { tags: [cohort()] }, steps: [checkin('P1D')] }, false);
    const enrol = (candidateId: string, campaignId = target.id) =>
      api().post(`/api/v1/campaigns/${campaignId}/enrollments`).set(sut.admin).send({ candidateId });
    const refusal = async (candidateId: string) => expectProblem(await enrol(candidateId), 422);

    expect(await refusal((await person('x', {}, false)).id)).toMatchObject({ code: 'CandidateNotEligible', reason: 'talent-pool consent is none' });
    const withdrawn = await person('x');
    await api().post(`/api/v1/candidates/${withdrawn.id}/consents/withdrawal`).set(sut.admin).send({ scope: 'talent_pool' }).expect(200);
    expect((await refusal(withdrawn.id)).reason).toBe('talent-pool consent is withdrawn');
    const archived = await person('x');
    await api().patch(`/api/v1/candidates/${archived.id}`).set(sut.admin).send({ status: 'archived' }).expect(200);
    expect((await refusal(archived.id)).reason).toBe('candidate is archived');
    const suppressed = await person('x');
    await sut.app.get(SuppressionService).suppress(suppressed.email, 'complaint');
    expect((await refusal(suppressed.id)).reason).toBe('address suppressed (complaint)');
    expectProblem(await enrol('00000000-0000-4000-8000-000000000000'), 404);
    expectProblem(await enrol('nope'), 400, ['candidateId']);

    const eligible = await person('x');
    expect((await enrol(eligible.id).expect(201)).body).toMatchObject({ candidateId: eligible.id, source: 'manual', status: 'active' });
    expect(expectProblem(await enrol(eligible.id), 409).code).toBe('AlreadyEnrolled');
    expectProblem(await enrol(eligible.id, '00000000-0000-4000-8000-000000000000'), 404);
    await api().patch(`/api/v1/campaigns/${target.id}`).set(sut.admin).send({ status: 'archived' }).expect(200);
    expect(expectProblem(await enrol((await person('x')).id), 409).code).toBe('CampaignArchived');
    expect(await enrollmentOf(target.id, eligible.id)).toMatchObject({ status: 'exited', exitReason: 'campaign_archived' });
  });

  it('sends the steps again to someone enrolled by hand after their sequence ended', async () => {
    const candidate = await person(cohort());
    const again = await campaign({ audience: { tags: [cohort()] }, steps: [checkin('P1D')] }); // an audience of nobody
    const enrol = () => api().post(`/api/v1/campaigns/${again.id}/enrollments`).set(sut.admin).send({ candidateId: candidate.id }).expect(201);
    await enrol();
    sut.clock.advance(DAY);
    await round();
    expect(mailTo(candidate)).toHaveLength(1);
    expect(await enrollmentOf(again.id, candidate.id)).toMatchObject({ status: 'completed' });
    sut.clock.advance(30 * DAY);
    await enrol();
    sut.clock.advance(DAY);
    await round();
    expect(mailTo(candidate)).toHaveLength(2);
  });

  it('leaves the mail of a sequence joined after a reply alone when that reply is recorded late', async () => {
    const tag = cohort();
    const candidate = await person(tag);
    const repliedAt = new Date(sut.clock.now().getTime() - DAY).toISOString();
    const later = await campaign({ audience: { tags: [tag] }, steps: [checkin('PT0S'), checkin('P30D')] });
    await runDue();
    const [waiting] = await emailsOf(candidate.id);
    await sut.app.get(DataSource).query(`UPDATE email SET next_attempt_at = $2 WHERE id = $1`, [waiting.id, new Date(sut.clock.now().getTime() + DAY)]);
    // Received yesterday, before the enrolment: it answers nothing of this sequence.
    const reply = await api().post(`/api/v1/candidates/${candidate.id}/replies`).set(sut.admin).send({ channel: 'phone', receivedAt: repliedAt }).expect(201);
    expect(reply.body.exitedEnrollments).toBe(0);
    expect(await enrollmentOf(later.id, candidate.id)).toMatchObject({ status: 'active' });
    expect(await emailsOf(candidate.id)).toEqual([expect.objectContaining({ id: waiting.id, status: waiting.status })]);
  });

  it('tells apart two enrolments in one campaign when a reply from between them is recorded late', async () => {
    const candidate = await person(cohort());
    const twice = await campaign({ audience: { tags: [cohort()] }, steps: [checkin('PT0S')] }); // an audience of nobody
    const enrol = () => api().post(`/api/v1/campaigns/${twice.id}/enrollments`).set(sut.admin).send({ candidateId: candidate.id }).expect(201);
    const holdBack = (id: unknown) =>
      sut.app.get(DataSource).query(`UPDATE email SET next_attempt_at = $2 WHERE id = $1`, [id, new Date(sut.clock.now().getTime() + DAY)]);
    await enrol();
    await runDue();
    const [first] = await emailsOf(candidate.id);
    await holdBack(first.id);
    sut.clock.advance(DAY);
    const repliedAt = sut.clock.now().toISOString();
    sut.clock.advance(27 * DAY); // past NURTURE_MIN_GAP; four weeks in all, so later tests meet the same weekdays
    await enrol();
    await runDue();
    const second = (await emailsOf(candidate.id)).find((email) => email.id !== first.id)!;
    await holdBack(second.id);

    const reply = await api().post(`/api/v1/candidates/${candidate.id}/replies`).set(sut.admin).send({ channel: 'phone', receivedAt: repliedAt }).expect(201);
    expect(reply.body.exitedEnrollments).toBe(0);
    const after = new Map((await emailsOf(candidate.id)).map((email) => [email.id, email.status]));
    expect(after.get(first.id)).toBe('cancelled');
    expect(after.get(second.id)).toBe(second.status);
    // Its waiting mail would take a later test's share of the send rate.
    await api().patch(`/api/v1/campaigns/${twice.id}`).set(sut.admin).send({ status: 'archived' }).expect(200);
  });

  it('does not send the last step of a completed sequence that still waits, once the person replied', async () => {
    const tag = cohort();
    const candidate = await person(tag);
    const once = await campaign({ audience: { tags: [tag] }, steps: [checkin('PT0S')] });
    await runDue();
    expect(await enrollmentOf(once.id, candidate.id)).toMatchObject({ status: 'completed' });
    const [waiting] = await emailsOf(candidate.id);
    // Held back, as if waiting for Monday's send window, when the reply comes in.
    await sut.app.get(DataSource).query(`UPDATE email SET next_attempt_at = $2 WHERE id = $1`, [waiting.id, new Date(sut.clock.now().getTime() + DAY)]);
    await api().post(`/api/v1/candidates/${candidate.id}/replies`).set(sut.admin).send({ channel: 'email', summary: 'Thanks!' }).expect(201);
    expect(await emailsOf(candidate.id)).toEqual([expect.objectContaining({ id: waiting.id, status: 'cancelled', lastError: 'candidate replied' })]);
    sut.clock.advance(2 * DAY);
    await round();
    expect(mailTo(candidate)).toHaveLength(0);
  });

  it('counts step delays in days on the person\'s own calendar and in hours as elapsed time, across the change to summer time', async () => {
    const tag = cohort();
    const stockholm = await person(tag, { timeZone: 'Europe/Stockholm' });
    const before = sut.clock.now();
    try {
      sut.clock.set('2026-03-27T15:30:00.000Z'); // Friday 16:30 in Stockholm, the last weekend of winter time
      const weekly = await campaign({ audience: { tags: [tag] }, steps: [checkin('P7D'), checkin('P7D')] });
      await runDue();
      // A week later is Friday 16:30 in Stockholm again (14:30 UTC in summer time), inside a 09:00-17:00
      // window; counted in UTC it was 17:30 there, and the step would have waited for Monday.
      expect(await enrollmentOf(weekly.id, stockholm.id)).toMatchObject({ nextStepDueAt: '2026-04-03T14:30:00.000Z' });

      sut.clock.set('2026-03-27T23:30:00.000Z'); // Saturday 00:30 in Stockholm; the clocks go forward at 02:00 on Sunday
      const mixed = await campaign({ audience: { tags: [tag] }, steps: [checkin('P1DT3H')] });
      await runDue();
      // The next day at 00:30 (still winter time), then three hours: 04:30 in summer time, 02:30 UTC.
      expect(await enrollmentOf(mixed.id, stockholm.id)).toMatchObject({ nextStepDueAt: '2026-03-29T02:30:00.000Z' });

      sut.clock.set('2026-03-28T23:30:00.000Z'); // Sunday 00:30 in Stockholm
      const hours = await campaign({ audience: { tags: [tag] }, steps: [checkin('PT12H')] });
      await runDue();
      // Twelve hours later is 13:30 by the clock there, not 12:30 after only eleven hours.
      expect(await enrollmentOf(hours.id, stockholm.id)).toMatchObject({ nextStepDueAt: '2026-03-29T11:30:00.000Z' });
    } finally {
      sut.clock.set(before);
    }
  });

  it('sends the second step only after its delay, counted from the first', async () => {
    const tag = cohort();
    const candidate = await person(tag);
    const sequence = await campaign({ audience: { tags: [tag] }, steps: [checkin('P2D'), checkin('P20D')] });
    await runDue();
    sut.clock.advance(2 * DAY);
    await round();
    expect(mailTo(candidate)).toHaveLength(1);
    sut.clock.advance(19 * DAY);
    await round();
    expect(mailTo(candidate)).toHaveLength(1);
    sut.clock.advance(DAY);
    await round();
    expect(mailTo(candidate)).toHaveLength(2);
    expect(await enrollmentOf(sequence.id, candidate.id)).toMatchObject({ status: 'completed', nextStep: 3, nextStepDueAt: null });
    expect(await stats(sequence.id)).toMatchObject({ enrolled: 1, completed: 1, sent: 2, steps: [{ position: 1, sent: 1 }, { position: 2, sent: 1 }] });
  });

  it('reschedules the people already waiting when a paused campaign\'s step delays change', async () => {
    const tag = cohort();
    const candidate = await person(tag);
    const sequence = await campaign({ audience: { tags: [tag] }, steps: [checkin('P10D'), checkin('P40D')] });
    await runDue();
    const dueAt = async () => Date.parse((await enrollmentOf(sequence.id, candidate.id))!.nextStepDueAt as string);
    const dueBefore = await dueAt();
    await editSteps(sequence.id, [checkin('P3D'), checkin('P40D')]);
    expect(dueBefore - (await dueAt())).toBeGreaterThanOrEqual(7 * DAY - 3_600_000);
    expect(dueBefore - (await dueAt())).toBeLessThanOrEqual(7 * DAY + 3_600_000);
    sut.clock.advance(2 * DAY);
    await round();
    expect(mailTo(candidate)).toHaveLength(0);
    sut.clock.advance(DAY + 3_600_000);
    await round();
    expect(mailTo(candidate)).toHaveLength(1);

    // The second step counts from the first one's sending, under its new delay.
    await editSteps(sequence.id, [checkin('P3D'), checkin('P20D')]);
    sut.clock.advance(19 * DAY);
    await round();
    expect(mailTo(candidate)).toHaveLength(1);
    sut.clock.advance(DAY + 3_600_000);
    await round();
    expect(mailTo(candidate)).toHaveLength(2);
    expect(await enrollmentOf(sequence.id, candidate.id)).toMatchObject({ status: 'completed', nextStep: 3 });
  });

  it('leaves a wait whose start is unknown as it was, and ends at the next round the sequences whose next step was removed', async () => {
    const tag = cohort();
    const [known, unknown] = [await person(tag), await person(tag)];
    const sequence = await campaign({ audience: { tags: [tag] }, steps: [checkin('P1D'), checkin('P30D')] });
    await runDue();
    sut.clock.advance(DAY);
    await round();
    expect([mailTo(known), mailTo(unknown)].map((mails) => mails.length)).toEqual([1, 1]);
    await sut.app.get(DataSource).query(
      `UPDATE enrollment SET step_anchor_at = NULL WHERE campaign_id = $1 AND candidate_id = $2`, [sequence.id, unknown.id],
    );
    const dueOf = async (candidateId: string) => Date.parse((await enrollmentOf(sequence.id, candidateId))!.nextStepDueAt as string);
    const [knownDue, unknownDue] = [await dueOf(known.id), await dueOf(unknown.id)];

    await editSteps(sequence.id, [checkin('P1D'), checkin('P20D')]);
    expect(knownDue - (await dueOf(known.id))).toBeGreaterThanOrEqual(10 * DAY - 3_600_000);
    expect(await dueOf(unknown.id)).toBe(unknownDue);

    await editSteps(sequence.id, [checkin('P1D')]);
    await round();
    expect(await enrollmentOf(sequence.id, known.id)).toMatchObject({ status: 'completed', nextStep: 2 });
    expect(await enrollmentOf(sequence.id, unknown.id)).toMatchObject({ status: 'completed', nextStep: 2 });
    await api().post(`/api/v1/campaigns/${sequence.id}/enrollments`).set(sut.admin).send({ candidateId: known.id }).expect(201);
    expect(mailTo(known)).toHaveLength(1);
  });

  it('takes the start of the wait of enrollments that ran before it was kept from their previous step\'s email', async () => {
    const tag = cohort();
    const [waitingForFirst, waitingForSecond] = [await person(tag), await person(tag)];
    const sequence = await campaign({ audience: { tags: [tag] }, steps: [checkin('P1D'), checkin('P30D')] });
    const db = sut.app.get(DataSource);
    const anchorOf = async (candidateId: string) => (await db.query(
      `SELECT step_anchor_at AS at FROM enrollment WHERE campaign_id = $1 AND candidate_id = $2`, [sequence.id, candidateId],
    ))[0].at as Date | null;
    await runDue();
    const enrolledAt = await anchorOf(waitingForFirst.id);
    sut.clock.advance(DAY);
    await db.query(`UPDATE enrollment SET next_step_due_at = next_step_due_at + interval '1 year' WHERE candidate_id = $1`, [waitingForFirst.id]);
    await round();
    const [sent] = await emailsOf(waitingForSecond.id);
    expect(mailTo(waitingForSecond)).toHaveLength(1);

    const migration = new EnrollmentStepAnchor1764465400000();
    const runner = db.createQueryRunner();
    try {
      await migration.down(runner);
      await migration.up(runner);
    } finally {
      await runner.release();
    }
    expect(await anchorOf(waitingForFirst.id)).toEqual(enrolledAt);
    expect(await anchorOf(waitingForSecond.id)).toEqual(new Date(sent.createdAt as string));
  });

  it('keeps NURTURE_MIN_GAP between nurture emails across campaigns: a step waits, then sends', async () => {
    const tag = cohort();
    const candidate = await person(tag);
    await campaign({ audience: { tags: [tag] }, steps: [checkin('P1D')] });
    const later = await campaign({ audience: { tags: [tag] }, steps: [checkin('P3D')] });
    await runDue();
    sut.clock.advance(DAY);
    await round();
    expect(mailTo(candidate)).toHaveLength(1);
    const firstSentAt = sut.clock.now().getTime();
    sut.clock.advance(2 * DAY);
    await round();
    expect(mailTo(candidate)).toHaveLength(1);
    expect(await enrollmentOf(later.id, candidate.id)).toMatchObject({
      status: 'active', nextStep: 1, nextStepDueAt: new Date(firstSentAt + 14 * DAY).toISOString(),
    });
    sut.clock.set(new Date(firstSentAt + 14 * DAY - 60_000));
    await round();
    expect(mailTo(candidate)).toHaveLength(1);
    sut.clock.advance(60_000);
    await round();
    expect(mailTo(candidate)).toHaveLength(2);
  });

  it('ends a sequence on reply, unsubscribe, consent expiry or withdrawal, archiving and hire', async () => {
    const tag = cohort();
    const expiresAt = new Date(sut.clock.now().getTime() + 10 * DAY).toISOString();
    const [stays, replies, unsubscribes, archived, hired, withdraws, expires] = await Promise.all(
      [1, 2, 3, 4, 5, 6].map(() => person(tag)).concat(person(tag, {}, false)),
    );
    await api().post(`/api/v1/candidates/${expires.id}/consents`).set(sut.admin)
      .send({ scope: 'talent_pool', textVersion: 'v1', source: 'verbal', expiresAt }).expect(201);
    const sequence = await campaign({ audience: { tags: [tag] }, steps: [checkin('P1D'), checkin('P20D')] });
    await runDue();
    await api().post(`/api/v1/candidates/${withdraws.id}/consents/withdrawal`).set(sut.admin).send({ scope: 'talent_pool' }).expect(200);
    sut.clock.advance(DAY);
    await round();
    expect(mailTo(withdraws)).toHaveLength(0);
    expect(mailTo(stays)).toHaveLength(1);

    const reply = (body: Record<string, unknown>, id = replies.id) => api().post(`/api/v1/candidates/${id}/replies`).set(sut.admin).send(body);
    expectProblem(await reply({ channel: 'fax' }), 400, ['channel']);
    expectProblem(await reply({ channel: 'email', receivedAt: '2099-01-01T00:00:00Z' }), 400, ['receivedAt']);
    expectProblem(await reply({ channel: 'email' }, '00000000-0000-4000-8000-000000000000'), 404);
    expect((await reply({ channel: 'email', summary: 'Happy where I am, ask me in spring' }).expect(201)).body)
      .toMatchObject({ candidateId: replies.id, channel: 'email', exitedEnrollments: 1 });
    await unsubscribeThroughLink(unsubscribes);
    await api().patch(`/api/v1/candidates/${archived.id}`).set(sut.admin).send({ status: 'archived' }).expect(200);
    // No hiring flow exists yet; the status is what it will set.
    await sut.app.get(DataSource).query(`UPDATE candidate SET status = 'hired' WHERE id = $1`, [hired.id]);
    sut.clock.advance(10 * DAY);
    await runDue();

    const reasons = Object.fromEntries((await enrollments(sequence.id)).map((e) => [e.candidateId, e.exitReason]));
    expect(reasons).toEqual({
      [stays.id]: null, [replies.id]: 'replied', [unsubscribes.id]: 'unsubscribed', [archived.id]: 'archived',
      [hired.id]: 'hired', [withdraws.id]: 'consent_withdrawn', [expires.id]: 'consent_expired',
    });
    sut.clock.advance(10 * DAY);
    await round();
    expect(mailTo(stays)).toHaveLength(2);
    for (const gone of [replies, unsubscribes, archived, hired, expires]) expect(mailTo(gone)).toHaveLength(1);
  });

  it('sends nothing while paused, not even mail already queued, and carries on after resume', async () => {
    const tag = cohort();
    const candidate = await person(tag);
    const paused = await campaign({ audience: { tags: [tag] }, steps: [checkin('P1D'), checkin('P20D')] });
    await runDue();
    sut.clock.advance(DAY);
    await round();
    expect(mailTo(candidate)).toHaveLength(1);
    sut.clock.advance(20 * DAY);
    await runDue(); // step 2 is queued...
    await api().post(`/api/v1/campaigns/${paused.id}/pause`).set(sut.admin).expect(200);
    sut.clock.advance(30 * DAY);
    await round(); // ...and held by the pause
    expect(mailTo(candidate)).toHaveLength(1);
    const [held] = (await emailsOf(candidate.id)).filter((email) => email.campaignStep === 2);
    expect(held).toMatchObject({ status: 'held', lastError: 'Held while the campaign is paused.' });
    expect(await stats(paused.id)).toMatchObject({ sent: 1, queued: 1 });
    await api().post(`/api/v1/campaigns/${paused.id}/resume`).set(sut.admin).expect(200);
    await round();
    expect(mailTo(candidate)).toHaveLength(2);
    expect(await enrollmentOf(paused.id, candidate.id)).toMatchObject({ status: 'completed' });
  });

  it('holds mail that was with a sender at the pause when it comes back for a retry', async () => {
    const tag = cohort();
    const candidate = await person(tag);
    const paused = await campaign({ audience: { tags: [tag] }, steps: [checkin('P1D')] });
    await runDue();
    sut.clock.advance(DAY);
    await runDue();
    sink.script.set(candidate.email.toLowerCase(), [{ code: 451, message: 'Try again later' }]);
    sink.delayMs = 500;
    try {
      const delivering = sut.app.get(DeliveryService).deliverDue();
      await new Promise((done) => setTimeout(done, 200)); // claimed and with the SMTP server now
      await api().post(`/api/v1/campaigns/${paused.id}/pause`).set(sut.admin).expect(200);
      expect(await delivering).toMatchObject({ sent: 0, retried: 1 });
    } finally {
      sink.delayMs = 0;
    }
    expect(await emailsOf(candidate.id)).toMatchObject([{ status: 'held', attempts: 1, lastError: 'Held while the campaign is paused.' }]);
    sut.clock.advance(DAY);
    await round();
    expect(mailTo(candidate)).toHaveLength(0);
    await api().post(`/api/v1/campaigns/${paused.id}/resume`).set(sut.admin).expect(200);
    await round();
    expect(mailTo(candidate)).toHaveLength(1);
  });

  it('after a pause, keeps NURTURE_MIN_GAP to mail another campaign sent meanwhile', async () => {
    const tag = cohort();
    const candidate = await person(tag);
    const paused = await campaign({ audience: { tags: [tag] }, steps: [checkin('P1D')] });
    await runDue();
    sut.clock.advance(DAY);
    await runDue(); // queued for now, not yet sent
    await api().post(`/api/v1/campaigns/${paused.id}/pause`).set(sut.admin).expect(200);
    const heldSince = sut.clock.now().getTime();
    await campaign({ audience: { tags: [tag] }, steps: [checkin('P1D')] });
    await runDue();
    sut.clock.advance(DAY);
    await round(); // the other campaign waits out the gap behind the held email...
    expect(mailTo(candidate)).toHaveLength(0);
    sut.clock.set(new Date(heldSince + 14 * DAY));
    await round(); // ...then sends
    expect(mailTo(candidate)).toHaveLength(1);
    const otherSentAt = sut.clock.now().getTime();
    await api().post(`/api/v1/campaigns/${paused.id}/resume`).set(sut.admin).expect(200);
    await round();
    expect(mailTo(candidate)).toHaveLength(1);
    const [released] = (await emailsOf(candidate.id)).filter((email) => email.campaignId === paused.id);
    expect(released).toMatchObject({ status: 'queued', nextAttemptAt: new Date(otherSentAt + 14 * DAY).toISOString() });
    sut.clock.set(new Date(otherSentAt + 14 * DAY));
    await round();
    expect(mailTo(candidate)).toHaveLength(2);
  });

  it('archiving cancels the mail of the campaign that has not gone yet', async () => {
    const tag = cohort();
    const candidate = await person(tag);
    const archived = await campaign({ audience: { tags: [tag] }, steps: [checkin('P1D')] });
    await runDue();
    sut.clock.advance(DAY);
    await runDue();
    await api().patch(`/api/v1/campaigns/${archived.id}`).set(sut.admin).send({ status: 'archived' }).expect(200);
    await round();
    expect(mailTo(candidate)).toHaveLength(0);
    expect(await emailsOf(candidate.id)).toMatchObject([
      { status: 'cancelled', lastError: 'The campaign was archived before this email was sent.' },
    ]);
  });

  it('ends the sequence of someone whose address is suppressed instead of queuing step after step for them', async () => {
    const tag = cohort();
    const [bounced, bouncesLater, fine] = await Promise.all([1, 2, 3].map(() => person(tag)));
    await sut.app.get(SuppressionService).suppress(bounced.email, 'hard_bounce');
    const sequence = await campaign({ audience: { tags: [tag] }, steps: [checkin('P1D'), checkin('P20D')] });
    await runDue();
    sink.script.set(bouncesLater.email.toLowerCase(), [{ code: 550, message: '5.1.1 Mailbox gone', at: 'rcpt' }]);
    sut.clock.advance(DAY);
    await round();
    expect(await enrollmentOf(sequence.id, bounced.id)).toMatchObject({ status: 'exited', exitReason: 'address_suppressed' });
    expect(await enrollmentOf(sequence.id, bouncesLater.id)).toMatchObject({ status: 'active', nextStep: 2 });
    // P20D is 20 days on the person's calendar: across the end of summer time that is 20 days and an hour.
    sut.clock.advance(21 * DAY);
    await round();
    expect(await enrollmentOf(sequence.id, bouncesLater.id)).toMatchObject({ status: 'exited', exitReason: 'address_suppressed' });
    expect(await enrollmentOf(sequence.id, fine.id)).toMatchObject({ status: 'completed' });
    expect(mailTo(bounced)).toHaveLength(0);
    expect(mailTo(fine)).toHaveLength(2);
    expect(await stats(sequence.id)).toMatchObject({ enrolled: 3, completed: 1, exited: 2, sent: 2, failed: 1, suppressed: 2 });
  });

  it('targets silver medalists and people not contacted for a while, in audiences and in search alike', async () => {
    const tag = cohort();
    const [medalist, contacted, quiet] = await Promise.all([1, 2, 3].map(() => person(tag)));
    const vacancy = await api().post('/api/v1/vacancies').set(sut.admin).send({
      title: 'Data Engineer', hiringManager: { name: 'Hanna Manager', email: 'hanna@acme.test' }, status: 'open',
      expectedDecisionDate: '2027-01-15', criteria: { skills: [{ name: 'kafka' }] },
    }).expect(201);
    const candidacy = await api().post('/api/v1/candidacies').set(sut.admin).send({ candidateId: medalist.id, vacancyId: vacancy.body.id }).expect(201);
    await api().post(`/api/v1/candidacies/${candidacy.body.id}/stage`).set(sut.admin).send({ stage: 'final' }).expect(200);
    await api().post(`/api/v1/candidacies/${candidacy.body.id}/decision`).set(sut.admin).send({ outcome: 'rejected', finalistRank: 2 }).expect(200);
    const hired = await addCandidate(sut, {}, { consent: true });
    const hire = await api().post('/api/v1/candidacies').set(sut.admin).send({ candidateId: hired.id, vacancyId: vacancy.body.id }).expect(201);
    await api().post(`/api/v1/candidacies/${hire.body.id}/stage`).set(sut.admin).send({ stage: 'offer' }).expect(200);
    await api().post(`/api/v1/vacancies/${vacancy.body.id}/close`).set(sut.admin).send({ outcome: 'filled', hiredCandidacyId: hire.body.id }).expect(200);
    const medalists = await campaign({ audience: { tags: [tag], silverMedalist: true }, steps: [checkin('P1D')] });
    expect(medalists.audience).toEqual({ tags: [tag], silverMedalist: true });
    await api().patch(`/api/v1/candidates/${contacted.id}`).set(sut.admin).send({ tags: [tag, `${tag}-first`] }).expect(200);
    await campaign({ audience: { tags: [`${tag}-first`] }, steps: [checkin('P1D')] });
    await runDue();
    sut.clock.advance(DAY);
    await round(); // the medalist's check-in and the first campaign's mail go out
    expect((await enrollments(medalists.id)).map((e) => e.candidateId)).toEqual([medalist.id]);
    expect(mailTo(contacted)).toHaveLength(1);

    sut.clock.advance(10 * DAY);
    const quietOnes = await campaign({ audience: { tags: [tag], notContactedFor: 'P30D' }, steps: [checkin('P1D')] });
    const notContacted = async () => (await api().get(`/api/v1/candidates?tags=${tag}&notContactedFor=P30D&limit=100`).set(sut.admin).expect(200))
      .body.items.map((hit: { id: string }) => hit.id);
    expect(await notContacted()).toEqual([quiet.id]);
    await runDue();
    expect((await enrollments(quietOnes.id)).map((e) => e.candidateId)).toEqual([quiet.id]);
    sut.clock.advance(20 * DAY + 60_000); // thirty days and a minute since their last email
    await runDue();
    expect((await enrollments(quietOnes.id)).map((e) => e.candidateId).sort()).toEqual([quiet.id, medalist.id, contacted.id].sort());
    expect((await api().get(`/api/v1/candidates?tags=${tag}&notContactedFor=P30D&limit=100`).set(sut.admin).expect(200)).body.items)
      .toHaveLength(3);

    const bad = await api().post('/api/v1/campaigns').set(sut.admin)
      .send({ name: 'x', steps: [checkin('P1D')], audience: { silverMedalist: 'yes', finalistOf: '42', notContactedFor: '90 days' } });
    expectProblem(bad, 400, ['audience.silverMedalist', 'audience.finalistOf', 'audience.notContactedFor']);
    expectProblem(await api().get('/api/v1/candidates?notContactedFor=P999Y').set(sut.admin), 400, ['notContactedFor']);
    // A vacancy that does not exist: such a campaign would quietly never find anybody.
    const unknown = expectProblem(await api().post('/api/v1/campaigns').set(sut.admin).send({
      name: 'x', steps: [checkin('P1D')], audience: { finalistOf: '00000000-0000-4000-8000-000000000000' },
    }), 404);
    expect(unknown).toMatchObject({ code: 'VacancyNotFound', detail: 'audience.finalistOf: no vacancy with id 00000000-0000-4000-8000-000000000000.' });
    // luxon reads "P" as no time at all: such an audience was everyone, and the campaign was stored with it.
    for (const nothing of ['P', 'PT', 'P1.5D']) {
      expectProblem(await api().post('/api/v1/campaigns').set(sut.admin)
        .send({ name: 'x', steps: [checkin('P1D')], audience: { notContactedFor: nothing } }), 400, ['audience.notContactedFor']);
      expectProblem(await api().get(`/api/v1/candidates?notContactedFor=${nothing}`).set(sut.admin), 400, ['notContactedFor']);
    }
  });

  it('counts enrolled, queued, sent, failed, suppressed, replied and unsubscribed per campaign and step', async () => {
    const tag = cohort();
    const [sent, bounced, complained, replied, unsubscribed] = await Promise.all([1, 2, 3, 4, 5].map(() => person(tag)));
    const counted = await campaign({ audience: { tags: [tag] }, steps: [checkin('P1D'), checkin('P20D')] });
    await runDue();
    sink.script.set(bounced.email.toLowerCase(), [{ code: 550, message: '5.1.1 No such user', at: 'rcpt' }]);
    await sut.app.get(SuppressionService).suppress(complained.email, 'complaint');
    sut.clock.advance(DAY);
    await runDue();
    expect(await stats(counted.id)).toMatchObject({ enrolled: 5, queued: 4, suppressed: 1, sent: 0 });
    await sut.app.get(DeliveryService).deliverDue();
    sut.clock.advance(60_000);
    await api().post(`/api/v1/candidates/${replied.id}/replies`).set(sut.admin).send({ channel: 'phone' }).expect(201);
    await unsubscribeThroughLink(unsubscribed);
    await runDue();

    const figures = { queued: 0, sent: 3, failed: 1, suppressed: 1, cancelled: 0, replied: 1, unsubscribed: 1 };
    expect(await stats(counted.id)).toEqual({
      // The complaint ended its sequence at step 1 (address_suppressed): it never reached step 2.
      campaignId: counted.id, enrolled: 5, active: 2, completed: 0, exited: 3, ...figures,
      steps: [
        { position: 1, templateKey: 'nurture_checkin', enrolled: 5, waiting: 0, ...figures },
        { position: 2, templateKey: 'nurture_checkin', enrolled: 2, waiting: 2, queued: 0, sent: 0, failed: 0, suppressed: 0, cancelled: 0, replied: 0, unsubscribed: 0 },
      ],
    });
    expect(mailTo(sent)).toHaveLength(1);
  });

  it('queues each step once when two instances run rounds at the same time', async () => {
    const second = await startTestApp({ SMTP_URL: `smtp://127.0.0.1:${sink.port}`, ...ENV }, { databaseUrl: sut.databaseUrl });
    try {
      const tag = cohort();
      const people = await Promise.all(Array.from({ length: 30 }, () => person(tag)));
      const shared = await campaign({ audience: { tags: [tag] }, steps: [checkin('PT1H')] });
      second.clock.set(sut.clock.now());
      await Promise.all([runDue(), runDue(second)]);
      expect(await enrollments(shared.id)).toHaveLength(30);
      for (const app of [sut, second]) app.clock.advance(3_600_000);
      await Promise.all([runDue(), runDue(second), runDue(), runDue(second)]);
      expect(await stats(shared.id)).toMatchObject({ enrolled: 30, queued: 30 });
      await sut.app.get(DeliveryService).deliverDue();
      for (const candidate of people) expect(mailTo(candidate)).toHaveLength(1);
    } finally {
      await second.close();
    }
  });
});

describe('The campaign and delivery schedulers, left to run on their own', () => {
  const sink = new SmtpSink();
  let sut: TestApp;
  afterAll(async () => {
    await sut?.close();
    await sink.stop();
  });

  it('enrol the audience, queue the step when it is due and deliver it, with nobody calling them', async () => {
    const schedulers = { SCHEDULER_ENABLED: 'true', CAMPAIGN_TICK_MS: '200', EMAIL_TICK_MS: '100' };
    sut = await startTestApp({ SMTP_URL: await sink.start(), ...ENV, ...schedulers }, { realClock: true });
    const candidate = await addCandidate(sut, { tags: ['scheduled'] }, { consent: true });
    const created = await sut.http().post('/api/v1/campaigns').set(sut.admin)
      .send({ name: 'Scheduled', audience: { tags: ['scheduled'] }, steps: [checkin('PT2S')] }).expect(201);
    const activatedAt = Date.now();
    await sut.http().post(`/api/v1/campaigns/${created.body.id}/resume`).set(sut.admin).expect(200);

    await sink.waitFor(1, 30_000);
    expect(Date.now() - activatedAt).toBeGreaterThanOrEqual(2000);
    expect(sink.to(candidate.email)).toHaveLength(1);
    const enrolled = await sut.http().get(`/api/v1/campaigns/${created.body.id}/enrollments`).set(sut.admin).expect(200);
    expect(enrolled.body.items).toMatchObject([{ candidateId: candidate.id, source: 'audience', status: 'completed' }]);
  });
});
