import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { Signer } from '../src/common/secrets/signer';
import { SuppressionService } from '../src/email/suppression.service';
import { CandidateInterestService } from '../src/matching/candidate-interest.service';
import { MatchDecisionService } from '../src/matching/match-decision.service';
import { MatchRunService } from '../src/matching/match-run.service';
import { NOW, PoolBuilder, T0 } from './support/matching-history';
import { expectProblem } from './support/problem';
import { startTestApp, TestApp } from './support/test-app';

const DAY = 86_400_000;
const recruiter = { name: 'Rita Recruiter', email: 'rita.recruiter@acme.test' };

interface StoredMatch {
  id: string;
  candidate: { id: string; fullName: string };
  status: string;
  score: number;
  promiseToKeep: boolean;
  invitationEmailId: string | null;
  dismissReason: string | null;
  explanation: { summary: string };
}

/**
 * Matching runs by itself (when a vacancy opens, and nightly), stores new
 * suggestions once across instances and tells the recruiter; a human
 * invites or dismisses.
 */
describe(MatchRunService.name, () => {
  let first: TestApp;
  let second: TestApp;
  let pool: PoolBuilder;
  let round = 0;
  const skill = (name: string) => `${name}.${round}`;
  const api = () => first.http();
  const setClocks = (time: string | Date) => [first, second].forEach((app) => app.clock.set(time));
  const runBoth = () => Promise.all([first.app.get(MatchRunService).runDue(), second.app.get(MatchRunService).runDue()]);
  const stored = async (vacancyId: string, query = ''): Promise<StoredMatch[]> =>
    (await api().get(`/api/v1/matches?vacancyId=${vacancyId}&limit=100${query}`).set(first.admin).expect(200)).body.items;
  const emails = async (filter: (email: { templateKey: string; candidateId: string | null }) => boolean) =>
    ((await api().get('/api/v1/emails?limit=100').set(first.admin).expect(200)).body.items as { id: string; templateKey: string; candidateId: string | null }[])
      .filter(filter);
  const emailBody = async (id: string) => (await api().get(`/api/v1/emails/${id}`).set(first.admin).expect(200)).body;
  const digests = async () => {
    const found = await emails((email) => email.templateKey === 'match_digest');
    return Promise.all(found.map((email) => emailBody(email.id)));
  };
  const timelineTypes = async (candidateId: string) =>
    (await api().get(`/api/v1/candidates/${candidateId}/timeline?limit=100`).set(first.admin).expect(200)).body.items
      .map((item: { type: string }) => item.type);

  beforeAll(async () => {
    first = await startTestApp({ COMPANY_NAME: 'Acme', PUBLIC_BASE_URL: 'https://talent.acme.test', MATCH_STRONG_SCORE: '30' });
    second = await startTestApp({ COMPANY_NAME: 'Acme', PUBLIC_BASE_URL: 'https://talent.acme.test', MATCH_STRONG_SCORE: '30' }, {
      databaseUrl: first.databaseUrl,
    });
    pool = new PoolBuilder(first);
  });
  afterAll(async () => {
    await second.close();
    await first.close();
  });
  beforeEach(async () => {
    round += 1;
    setClocks(T0);
    // Earlier tests' vacancies are done with: close them so the rounds below only see this test's.
    const open = (await api().get('/api/v1/vacancies?status=open&limit=100').set(first.admin).expect(200)).body.items as { id: string }[];
    for (const { id } of open) await api().post(`/api/v1/vacancies/${id}/close`).set(first.admin).send({ outcome: 'cancelled' }).expect(200);
  });

  it('matches a new vacancy once across two instances, digests the strong matches with the promise on top, then only new people nightly', async () => {
    const pia = await pool.person('Pia Promise', { skills: [[skill('go'), 2]] });
    await pool.pastProcess(pia, {
      title: 'Platform 2025', team: 'Platform', stage: 'interview',
      promise: { text: 'We will contact you first for the next platform role.', team: 'Platform' },
    });
    await pool.person('Stina Strong', { skills: [[skill('go'), 5], [skill('k8s'), 5]], city: 'Stockholm' });
    await pool.person('Gösta Good', { skills: [[skill('go'), 4], [skill('k8s'), 4]], city: 'Stockholm' });
    await pool.person('Wille Weak', { skills: [[skill('go'), 1]] });
    setClocks(NOW);
    const vacancy = await pool.vacancy('Platform Engineer', {
      team: 'Platform', location: 'Stockholm', recruiter,
      skills: [{ name: skill('go'), weight: 5, required: true }, { name: skill('k8s'), weight: 4 }],
    });

    const [a, b] = await runBoth();
    expect([...a, ...b].filter((report) => report.vacancyId === vacancy).map((report) => report.ran).sort()).toEqual([false, true]);
    const matches = await stored(vacancy);
    expect(matches.map((match) => match.candidate.fullName).sort()).toEqual(['Gösta Good', 'Pia Promise', 'Stina Strong', 'Wille Weak']);
    expect(new Set(matches.map((match) => match.status))).toEqual(new Set(['suggested']));
    expect(matches.find((match) => match.candidate.id === pia)!.promiseToKeep).toBe(true);

    const [digest] = await digests();
    expect(await digests()).toHaveLength(1);
    expect(digest).toMatchObject({ category: 'staff', templateKey: 'match_digest', subject: 'New strong matches for Platform Engineer' });
    const lines = (digest.textBody as string).split('\n').filter((line: string) => line.startsWith('- '));
    // The promise first and flagged, although its score is the lowest; then by score; Wille is stored but not strong.
    expect(lines).toEqual([
      expect.stringMatching(/^- Pia Promise – match score [\d.]+ · We promised to contact them first$/),
      expect.stringMatching(/^- Stina Strong – match score [\d.]+$/),
      expect.stringMatching(/^- Gösta Good – match score [\d.]+$/),
    ]);
    // The digest says there is a promise, not its words: staff emails outlive the person's erasure.
    expect(digest.textBody).toContain('Promise to keep; ');
    expect(digest.textBody).not.toContain('We will contact you first');
    expect(digest.textBody).toContain('Hi Rita Recruiter');

    // Same day: nothing again, on either instance.
    await runBoth();
    expect(await stored(vacancy)).toHaveLength(4);
    expect(await digests()).toHaveLength(1);

    // A new person overnight; the nightly run stores and digests only them.
    setClocks(new Date(new Date(NOW).getTime() + 12 * 3_600_000));
    const newcomer = await pool.person('Nora Newcomer', { skills: [[skill('go'), 5], [skill('k8s'), 4]], city: 'Stockholm' });
    setClocks(new Date(new Date(NOW).getTime() + DAY));
    const nightly = (await runBoth()).flat().filter((report) => report.vacancyId === vacancy && report.ran);
    expect(nightly).toEqual([{ vacancyId: vacancy, ran: true, considered: 5, stored: 1, digested: 1 }]);
    expect((await stored(vacancy)).map((match) => match.candidate.id)).toContain(newcomer);
    const all = await digests();
    expect(all).toHaveLength(2);
    const latest = all.find((email) => email.textBody.includes('Nora Newcomer'))!;
    expect(latest.textBody).not.toContain('Stina Strong');

    // The next night's round (02:05 in Stockholm) finds 26 strong newcomers: the digest waits for working
    // hours (SEND_WINDOW, 09:00) and, past its 25 lines, says how many more there are.
    for (let i = 0; i < 26; i++) await pool.person(`Night Owl ${i}`, { skills: [[skill('go'), 5], [skill('k8s'), 5]], city: 'Stockholm' });
    setClocks('2026-03-04T01:05:00.000Z');
    await runBoth();
    const night = (await digests()).find((email) => email.textBody.includes('Night Owl'))!;
    expect(night.nextAttemptAt).toBe('2026-03-04T08:00:00.000Z');
    expect((night.textBody as string).split('\n').filter((line: string) => line.startsWith('- '))).toHaveLength(25);
    expect(night.textBody).toContain('…and 1 more, listed in Silverpool.');

    // The recruiter's address bounced meanwhile: the next digest goes to the hiring manager rather than nowhere.
    await first.app.get(SuppressionService).suppress(recruiter.email, 'hard_bounce');
    await pool.person('Late Lark', { skills: [[skill('go'), 5], [skill('k8s'), 5]], city: 'Stockholm' });
    setClocks('2026-03-05T01:05:00.000Z');
    await runBoth();
    const lark = (await digests()).filter((email) => email.textBody.includes('Late Lark'));
    expect(lark).toEqual([expect.objectContaining({ toAddress: 'hanna.manager@acme.test', status: 'held' })]);
  });

  it('matches a vacancy opened at night right away, without re-running the others before MATCH_HOUR', async () => {
    await pool.person('Olga Owl', { skills: [[skill('ocaml'), 4]] });
    setClocks(NOW);
    const earlier = await pool.vacancy('OCaml Engineer', { skills: [{ name: skill('ocaml'), required: true }] });
    await runBoth();
    // 00:30 in Stockholm the next night: before MATCH_HOUR (2).
    setClocks('2026-03-02T23:30:00.000Z');
    const opened = await pool.vacancy('OCaml Lead', { skills: [{ name: skill('ocaml'), required: true }] });
    const reports = (await runBoth()).flat();
    expect(reports.filter((report) => report.ran).map((report) => report.vacancyId)).toEqual([opened]);
    expect(reports.map((report) => report.vacancyId)).not.toContain(earlier);
  });

  it('invites through the new-role email, once, on the timeline; dismisses with a reason; refuses what may not be done', async () => {
    const greta = await pool.person('Greta Gap', { skills: [[skill('scala'), 4]], locale: 'sv' });
    await pool.pastProcess(greta, { title: 'Data 2025', stage: 'final', medal: 'silver', gaps: [skill('flink')] });
    await first.http().patch(`/api/v1/candidates/${greta}`).set(first.admin)
      .send({ skills: [{ name: skill('scala'), level: 4 }, { name: skill('flink'), level: 3 }] }).expect(200);
    const names = ['Una Unsubscribes', 'Wanda Withdraws', 'Nils Not-Now', 'Doris Dismissed', 'Alice Applies'];
    const people = Object.fromEntries(await Promise.all(names.map(async (name) => [name, await pool.person(name, { skills: [[skill('scala'), 3]] })])));
    setClocks(NOW);
    const vacancy = await pool.vacancy('Streaming Engineer', {
      team: 'Data', location: 'Göteborg',
      skills: [{ name: skill('scala'), weight: 4, required: true }, { name: skill('flink'), weight: 5 }],
    });
    await api().post(`/api/v1/vacancies/${vacancy}/matches/run`).set(first.admin).expect(200);
    const matchOf = async (candidateId: string) => (await stored(vacancy)).find((match) => match.candidate.id === candidateId)!;
    const invite = async (candidateId: string, body: object = {}, key = first.admin) =>
      api().post(`/api/v1/matches/${(await matchOf(candidateId)).id}/invite`).set(key).send(body);

    // Invite: the email in the candidate's language, with the reason and their personal "yes" link.
    expectProblem(await invite(greta, {}, await first.keyFor('viewer')), 403);
    const invitation = await invite(greta);
    expect(invitation.status).toBe(200);
    const invited = invitation.body;
    expect(invited).toMatchObject({ status: 'invited', invitedAt: NOW, invitationEmailId: expect.any(String) });
    const email = await emailBody(invited.invitationEmailId);
    expect(email).toMatchObject({ templateKey: 'new_role_invitation', category: 'nurture', locale: 'sv', candidateId: greta });
    expect(email.subject).toBe('Greta, vi tänkte direkt på dig: Streaming Engineer');
    expect(email.textBody).toContain(`Du har sedan dess lagt till ${skill('flink')}, vilket var precis det vi saknade förra gången.`);
    expect(email.textBody).toContain('Team: Data');
    expect(email.textBody).toContain('Ort: Göteborg');
    expect(email.textBody).toMatch(new RegExp(`https://talent\\.acme\\.test/p/[\\w.-]+\\?interest=open&match=${invited.id}`));
    expect(email.textBody).toMatch(/https:\/\/talent\.acme\.test\/u\//);
    expect(await timelineTypes(greta)).toContain('match_invited');
    // Twice: the same invitation, one email.
    expect((await invite(greta)).body).toMatchObject({ status: 'invited', invitationEmailId: invited.invitationEmailId });
    expect(await emails((e) => e.candidateId === greta && e.templateKey === 'new_role_invitation')).toHaveLength(1);

    // Refusals, each naming why, and no email.
    await first.http().post(`/u/${first.app.get(Signer).sign({ purpose: 'unsubscribe', candidateId: people['Una Unsubscribes'] })}`).expect(200);
    expect(expectProblem(await invite(people['Una Unsubscribes']), 422).code).toBe('CandidateUnsubscribed');
    await api().post(`/api/v1/candidates/${people['Wanda Withdraws']}/consents/withdrawal`).set(first.admin).send({ scope: 'talent_pool' }).expect(200);
    const noConsent = expectProblem(await invite(people['Wanda Withdraws']), 422);
    expect(noConsent).toMatchObject({ code: 'ConsentMissing', reason: 'talent-pool consent is withdrawn' });
    await first.app.get(CandidateInterestService).set(people['Nils Not-Now'], 'not_now', 'phone call');
    expect(expectProblem(await invite(people['Nils Not-Now']), 422).code).toBe('CandidateNotInterested');
    for (const name of ['Una Unsubscribes', 'Wanda Withdraws', 'Nils Not-Now']) {
      expect(await emails((e) => e.candidateId === people[name] && e.templateKey === 'new_role_invitation')).toEqual([]);
      expect((await matchOf(people[name])).status).toBe('suggested');
    }

    // Dismiss: a reason is required; once only; dismissed people are not invited.
    const doris = await matchOf(people['Doris Dismissed']);
    expectProblem(await api().post(`/api/v1/matches/${doris.id}/dismiss`).set(first.admin).send({}), 400, ['reason']);
    const dismissed = (await api().post(`/api/v1/matches/${doris.id}/dismiss`).set(first.admin).send({ reason: 'Moved abroad' }).expect(200)).body;
    expect(dismissed).toMatchObject({ status: 'dismissed', dismissReason: 'Moved abroad', dismissedAt: NOW });
    expect(expectProblem(await api().post(`/api/v1/matches/${doris.id}/dismiss`).set(first.admin).send({ reason: 'again' }), 409).code)
      .toBe('MatchStateConflict');
    expect(expectProblem(await invite(people['Doris Dismissed']), 409).code).toBe('MatchStateConflict');
    expect(await timelineTypes(people['Doris Dismissed'])).toContain('match_dismissed');
    expect((await stored(vacancy, '&status=dismissed')).map((match) => match.id)).toEqual([doris.id]);
    // Dismissing an invited match cancels the invitation while it still waits to be sent.
    expect((await emailBody(invited.invitationEmailId)).status).toBe('held');
    await api().post(`/api/v1/matches/${invited.id}/dismiss`).set(first.admin).send({ reason: 'Took another offer' }).expect(200);
    expect(await emailBody(invited.invitationEmailId)).toMatchObject({ status: 'cancelled', lastError: 'The match was dismissed.' });
    // One that was with a sender at the dismissal is cancelled when it comes back for a retry.
    const sven = await pool.person('Sven Sending', { skills: [[skill('scala'), 3]] });
    await api().post(`/api/v1/vacancies/${vacancy}/matches/run`).set(first.admin).expect(200);
    const svenInvited = (await invite(sven)).body;
    const db = first.app.get(DataSource);
    await db.query(`UPDATE email SET status = 'sending', lease_until = now() + interval '1 minute' WHERE id = $1`, [svenInvited.invitationEmailId]);
    await api().post(`/api/v1/matches/${svenInvited.id}/dismiss`).set(first.admin).send({ reason: 'Role re-scoped' }).expect(200);
    expect((await emailBody(svenInvited.invitationEmailId)).status).toBe('sending');
    await db.query(`UPDATE email SET status = 'queued', lease_until = NULL WHERE id = $1`, [svenInvited.invitationEmailId]);
    expect(await emailBody(svenInvited.invitationEmailId)).toMatchObject({ status: 'cancelled', lastError: 'The match was dismissed.' });

    // Someone who became a candidate meanwhile is "applied" after the next run, and is not invited.
    await pool.candidacy(people['Alice Applies'], vacancy);
    expect(expectProblem(await invite(people['Alice Applies']), 409).code).toBe('MatchStateConflict');
    setClocks(new Date(new Date(NOW).getTime() + DAY));
    await runBoth();
    expect((await matchOf(people['Alice Applies'])).status).toBe('applied');
    expect((await matchOf(people['Doris Dismissed'])).status).toBe('dismissed');

    expectProblem(await api().post('/api/v1/matches/00000000-0000-4000-8000-000000000000/invite').set(first.admin).send({}), 404);
    expectProblem(await api().post('/api/v1/matches/not-a-uuid/invite').set(first.admin).send({}), 400, ['id']);
    await api().post(`/api/v1/vacancies/${vacancy}/close`).set(first.admin).send({ outcome: 'cancelled' }).expect(200);
    expect(expectProblem(await invite(people['Una Unsubscribes']), 409).code).toBe('VacancyStateConflict');
    expect(expectProblem(await api().post(`/api/v1/vacancies/${vacancy}/matches/run`).set(first.admin), 409).code).toBe('VacancyStateConflict');
    expect(expectProblem(await api().post('/api/v1/vacancies/00000000-0000-4000-8000-000000000000/matches/run').set(first.admin), 404).code)
      .toBe('VacancyNotFound');
  });

  it('a waiting invitation follows what happens next: "not right now" and closing cancel it; one never delivered can be sent again', async () => {
    const names = ['Petra Pauses', 'Lars Lapses', 'Clara Closed', 'Sam Sending'];
    const people = Object.fromEntries(await Promise.all(names.map(async (name) => [name, await pool.person(name, { skills: [[skill('ocaml'), 3]] })])));
    setClocks(NOW);
    const vacancy = await pool.vacancy('Compiler Engineer', { skills: [{ name: skill('ocaml'), required: true }] });
    await api().post(`/api/v1/vacancies/${vacancy}/matches/run`).set(first.admin).expect(200);
    const matchOf = async (candidateId: string) => (await stored(vacancy)).find((match) => match.candidate.id === candidateId)!;
    const invite = async (name: string) =>
      (await api().post(`/api/v1/matches/${(await matchOf(people[name])).id}/invite`).set(first.admin).send({}).expect(200)).body as StoredMatch;
    const db = first.app.get(DataSource);

    // "Not right now" from the person stops the invitation that waits for its send window.
    const paused = await invite('Petra Pauses');
    expect((await emailBody(paused.invitationEmailId!)).status).toBe('held');
    await first.app.get(CandidateInterestService).set(people['Petra Pauses'], 'not_now', 'profile page');
    expect(await emailBody(paused.invitationEmailId!)).toMatchObject({ status: 'cancelled', lastError: 'The person said "not right now".' });

    // An invitation the system cancelled (consent lapsed before the window opened) is sent again on the next invite, once.
    const lapsed = await invite('Lars Lapses');
    await db.query(`UPDATE email SET status = 'cancelled', last_error = 'talent-pool consent expired' WHERE id = $1`, [lapsed.invitationEmailId]);
    const again = await invite('Lars Lapses');
    expect(again.invitationEmailId).not.toBe(lapsed.invitationEmailId);
    expect((await emailBody(again.invitationEmailId!)).status).toBe('held');
    expect((await invite('Lars Lapses')).invitationEmailId).toBe(again.invitationEmailId);
    expect(await emails((e) => e.candidateId === people['Lars Lapses'] && e.templateKey === 'new_role_invitation')).toHaveLength(2);

    // Closing the vacancy cancels invitations still waiting, and one with a sender when it comes back for a retry;
    // the person's "yes" link no longer applies to a role that is gone.
    const closed = await invite('Clara Closed');
    const sending = await invite('Sam Sending');
    await db.query(`UPDATE email SET status = 'sending', lease_until = now() + interval '1 minute' WHERE id = $1`, [sending.invitationEmailId]);
    await api().post(`/api/v1/vacancies/${vacancy}/close`).set(first.admin).send({ outcome: 'cancelled' }).expect(200);
    expect(await emailBody(closed.invitationEmailId!)).toMatchObject({ status: 'cancelled', lastError: 'The vacancy was cancelled.' });
    expect(await emailBody(again.invitationEmailId!)).toMatchObject({ status: 'cancelled', lastError: 'The vacancy was cancelled.' });
    await db.query(`UPDATE email SET status = 'queued', lease_until = NULL WHERE id = $1`, [sending.invitationEmailId]);
    expect(await emailBody(sending.invitationEmailId!)).toMatchObject({ status: 'cancelled', lastError: 'The vacancy was cancelled.' });
    const decisions = first.app.get(MatchDecisionService);
    expect(await decisions.applyFromLink(people['Clara Closed'], closed.id)).toBeNull();
    expect(await decisions.invitationFor(people['Clara Closed'], closed.id)).toBeNull();
    expect((await matchOf(people['Clara Closed'])).status).toBe('invited');
  });

  it('an invite racing the erasure of the person waits for it and finds nothing, instead of deadlocking', async () => {
    const erased = await pool.person('Erik Erased', { skills: [[skill('erlang'), 3]] });
    setClocks(NOW);
    const vacancy = await pool.vacancy('BEAM Engineer', { skills: [{ name: skill('erlang'), required: true }] });
    await api().post(`/api/v1/vacancies/${vacancy}/matches/run`).set(first.admin).expect(200);
    const [match] = await stored(vacancy);
    const eraser = new Client({ connectionString: first.databaseUrl });
    await eraser.connect();
    try {
      // The erasure's order: the person first, then (through the cascade) their matches.
      await eraser.query('BEGIN');
      await eraser.query('SELECT 1 FROM candidate WHERE id = $1 FOR UPDATE', [erased]);
      const invited = api().post(`/api/v1/matches/${match.id}/invite`).set(first.admin).send({}).then((response) => response);
      const waiting = async () => (await eraser.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
      )).rows[0].n as number;
      for (let i = 0; i < 100 && (await waiting()) === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(await waiting()).toBe(1);
      await eraser.query('DELETE FROM candidate WHERE id = $1', [erased]);
      await eraser.query('COMMIT');
      expectProblem(await invited, 404);
    } finally {
      await eraser.end();
    }
    expect(await stored(vacancy)).toEqual([]);
  });

  it('keeps a promise once: after the invitation, the next vacancy of that team no longer flags it', async () => {
    const pia = await pool.person('Pia Promise', { skills: [[skill('swift'), 4]] });
    await pool.pastProcess(pia, {
      title: 'iOS 2025', team: 'Mobile', stage: 'final', medal: 'silver',
      promise: { text: 'We will call you about the next mobile role.', team: 'Mobile' },
    });
    setClocks(NOW);
    const firstRole = await pool.vacancy('iOS Engineer', { team: 'Mobile', skills: [{ name: skill('swift'), required: true }] });
    await runBoth();
    const [match] = await stored(firstRole);
    expect(match).toMatchObject({ promiseToKeep: true, candidate: { id: pia } });
    const invited = (await api().post(`/api/v1/matches/${match.id}/invite`).set(first.admin).send({ reason: 'A personal note from Rita.' }).expect(200)).body;
    expect((await emailBody(invited.invitationEmailId)).textBody).toContain('A personal note from Rita.');

    const secondRole = await pool.vacancy('iOS Lead', { team: 'Mobile', skills: [{ name: skill('swift'), required: true }] });
    await runBoth();
    const [again] = await stored(secondRole);
    expect(again).toMatchObject({ promiseToKeep: false, candidate: { id: pia } });
    expect(again.explanation.summary).not.toContain('Promise');
  });
});
