import { Signer } from '../src/common/secrets/signer';
import { SuppressionService } from '../src/email/suppression.service';
import { CandidateInterestService } from '../src/matching/candidate-interest.service';
import { MatchService } from '../src/matching/match.service';
import { namesOf, NOW, PoolBuilder, ranking, T0 } from './support/matching-history';
import { expectProblem } from './support/problem';
import { startTestApp, TestApp } from './support/test-app';

/**
 * Each test works on skills of its own (`elixir.1`, ...), so the people of
 * one test never show up in another's ranking.
 */
describe(MatchService.name, () => {
  let sut: TestApp;
  let pool: PoolBuilder;
  let round = 0;
  const skill = (name: string) => `${name}.${round}`;
  const api = () => sut.http();

  beforeAll(async () => {
    sut = await startTestApp({ COMPANY_NAME: 'Acme', PUBLIC_BASE_URL: 'https://talent.acme.test' });
    pool = new PoolBuilder(sut);
  });
  afterAll(() => sut.close());
  beforeEach(() => {
    round += 1;
    sut.clock.set(T0);
  });

  it('matches only people who may be contacted: valid consent, not unsubscribed or bounced, active, not already a candidate, not "not right now"', async () => {
    const s = [[skill('elixir'), 4]] as [string, number][];
    await pool.person('Eligible Erik', { skills: s });
    await pool.person('No Consent Nora', { skills: s }, null);
    const withdrawn = await pool.person('Withdrawn Wilma', { skills: s });
    await api().post(`/api/v1/candidates/${withdrawn}/consents/withdrawal`).set(sut.admin).send({ scope: 'talent_pool' }).expect(200);
    await pool.person('Expired Elsa', { skills: s }, '2026-01-01T00:00:00.000Z');
    const unsubscribed = await pool.person('Unsubscribed Ulf', { skills: s });
    await api().post(`/u/${sut.app.get(Signer).sign({ purpose: 'unsubscribe', candidateId: unsubscribed })}`).expect(200);
    const archived = await pool.person('Archived Arvid', { skills: s });
    await api().patch(`/api/v1/candidates/${archived}`).set(sut.admin).send({ status: 'archived' }).expect(200);
    const applicant = await pool.person('Applicant Anna', { skills: s });
    const paused = await pool.person('Paused Per', { skills: s });
    const bounced = await pool.person('Bounced Bea', { skills: s });
    const { email } = (await api().get(`/api/v1/candidates/${bounced}`).set(sut.admin).expect(200)).body;
    await sut.app.get(SuppressionService).suppress(email, 'hard_bounce');
    sut.clock.set(NOW);
    const vacancy = await pool.vacancy('Elixir Developer', { skills: [{ name: skill('elixir'), required: true }] });
    await pool.candidacy(applicant, vacancy);
    await sut.app.get(CandidateInterestService).set(paused, 'not_now', 'phone call');

    expect(namesOf(await ranking(sut, vacancy))).toEqual(['Eligible Erik']);

    // "Not right now" is a pause, not a goodbye.
    sut.clock.set(new Date(new Date(NOW).getTime() + 181 * 86_400_000));
    expect(namesOf(await ranking(sut, vacancy)).sort()).toEqual(['Eligible Erik', 'Paused Per']);
  });

  it('ranks anyone missing a required skill below everyone who has them all, however strong otherwise (and missing two below one)', async () => {
    const strong = await pool.person('Strong But Missing', {
      skills: [[skill('rust'), 5], [skill('tokio'), 5], [skill('wasm'), 5]], city: 'Stockholm',
    });
    await pool.pastProcess(strong, { title: 'Rust role 2025', stage: 'final', medal: 'silver', gaps: [skill('tokio')] });
    await pool.person('Weak But Complete', { skills: [[skill('rust'), 1], [skill('grpc'), 1]] });
    await pool.person('Middling Complete', { skills: [[skill('rust'), 3], [skill('grpc'), 2], [skill('wasm'), 2]] });
    await pool.person('Weak Missing One', { skills: [[skill('rust'), 1]] });
    await pool.person('Strong Missing Both', { skills: [[skill('tokio'), 5], [skill('wasm'), 5]] });
    sut.clock.set(NOW);
    const vacancy = await pool.vacancy('Rust Engineer', {
      location: 'Stockholm',
      skills: [
        { name: skill('rust'), weight: 5, required: true }, { name: skill('grpc'), weight: 2, required: true },
        { name: skill('tokio'), weight: 5 }, { name: skill('wasm'), weight: 5 },
      ],
    });
    const items = await ranking(sut, vacancy);
    // Missing one required skill ranks below having them all; missing both below missing one.
    expect(namesOf(items)).toEqual(['Middling Complete', 'Weak But Complete', 'Strong But Missing', 'Weak Missing One', 'Strong Missing Both']);
    expect(items[2].score).toBeGreaterThan(items[0].score);
    expect(items[4].score).toBeGreaterThan(items[3].score);
    expect(items.map((item) => item.meetsRequired)).toEqual([true, true, false, false, false]);
    expect(items[2].missingSkills).toEqual([{ name: skill('grpc'), weight: 2, required: true }]);
    expect(items[2].summary).toMatch(new RegExp(`missing required ${skill('grpc')}`));
  });

  it('with three required skills, ranks missing two below missing one, however strong otherwise', async () => {
    const [a, b, c, d] = ['haskell', 'nix', 'postgis', 'ocaml'].map(skill);
    const missingTwo = await pool.person('Strong Missing Two', { skills: [[a, 5], [d, 5]], city: 'Lund' });
    await pool.pastProcess(missingTwo, { title: 'FP role 2025', stage: 'final', medal: 'silver', gaps: [d] });
    await pool.person('Weak Missing One', { skills: [[a, 1], [b, 1]] });
    await pool.person('Weakest Complete', { skills: [[a, 1], [b, 1], [c, 1]] });
    await pool.person('Missing All Three', { skills: [[d, 5]], city: 'Lund' });
    sut.clock.set(NOW);
    const vacancy = await pool.vacancy('Functional Engineer', {
      location: 'Lund',
      skills: [
        { name: a, weight: 5, required: true }, { name: b, weight: 3, required: true }, { name: c, weight: 3, required: true },
        { name: d, weight: 5 },
      ],
    });
    const items = await ranking(sut, vacancy);
    expect(namesOf(items)).toEqual(['Weakest Complete', 'Weak Missing One', 'Strong Missing Two', 'Missing All Three']);
    expect(items[2].score).toBeGreaterThan(items[1].score);
    // Page by page, the cursor carries the tier: one item per page gives the same order.
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { candidate: { fullName: string } }[]; nextCursor: string | null } = (await api()
        .get(`/api/v1/vacancies/${vacancy}/matches?limit=1${cursor ? `&cursor=${cursor}` : ''}`).set(sut.admin).expect(200)).body;
      paged.push(...page.items.map((item) => item.candidate.fullName));
      cursor = page.nextCursor;
    } while (cursor);
    expect(paged).toEqual(namesOf(items));
  });

  it('lifts someone who closed the gap we turned them down for, and shows it', async () => {
    const closed = await pool.person('Closed Gap Greta', { skills: [[skill('scala'), 3]] });
    await pool.pastProcess(closed, { title: 'Data Platform 2025', stage: 'interview', gaps: [skill('flink')] });
    const open = await pool.person('Open Gap Olle', { skills: [[skill('scala'), 3]] });
    await pool.pastProcess(open, { title: 'Data Platform 2025b', stage: 'interview', gaps: [skill('flink')] });
    await pool.person('Stranger Sam', { skills: [[skill('scala'), 3], [skill('flink'), 3]] });
    // Greta learns flink; Olle does not.
    await api().patch(`/api/v1/candidates/${closed}`).set(sut.admin)
      .send({ skills: [{ name: skill('scala'), level: 3 }, { name: skill('flink'), level: 3 }] }).expect(200);
    sut.clock.set(NOW);
    const vacancy = await pool.vacancy('Streaming Engineer', {
      skills: [{ name: skill('scala'), weight: 4, required: true }, { name: skill('flink'), weight: 5 }],
    });
    const items = await ranking(sut, vacancy);
    expect(namesOf(items)).toEqual(['Closed Gap Greta', 'Stranger Sam', 'Open Gap Olle']);
    const [greta, sam] = items;
    expect(greta.closedGaps).toEqual([expect.objectContaining({ skill: skill('flink'), level: 3, vacancy: expect.objectContaining({ title: 'Data Platform 2025' }) })]);
    expect(greta.signals.find((signal) => signal.signal === 'gapClosure')).toEqual({
      signal: 'gapClosure', points: 20, max: 20,
      explanation: `Not chosen for Data Platform 2025 for lack of ${skill('flink')}; now has ${skill('flink')} (level 3).`,
    });
    expect(greta.summary).toMatch(new RegExp(`^Closed the ${skill('flink')} gap`));
    expect(sam.closedGaps).toEqual([]);
  });

  it('counts a gap as closed only by a skill, or a higher level of it, gained since it was named', async () => {
    // Turned down for "more go" while already at go level 4: still at 4, that gap is not closed.
    const same = await pool.person('Same Level Siv', { skills: [[skill('go'), 4]] });
    await pool.pastProcess(same, { title: 'Backend 2025', stage: 'interview', gaps: [skill('go')] });
    const better = await pool.person('Better Level Bo', { skills: [[skill('go'), 3]] });
    await pool.pastProcess(better, { title: 'Backend 2025b', stage: 'interview', gaps: [skill('go')] });
    await api().patch(`/api/v1/candidates/${better}`).set(sut.admin).send({ skills: [{ name: skill('go'), level: 5 }] }).expect(200);
    // Named twice: first without go (closed since she learned it), then at go 4, where she still is (not closed).
    const twice = await pool.person('Twice Named Tua', { skills: [[skill('java'), 3]] });
    await pool.pastProcess(twice, { title: 'Backend 2023', stage: 'interview', gaps: [skill('go')] });
    await api().patch(`/api/v1/candidates/${twice}`).set(sut.admin).send({ skills: [{ name: skill('go'), level: 4 }] }).expect(200);
    await pool.pastProcess(twice, { title: 'Backend 2024', stage: 'interview', gaps: [skill('go')] });
    // Had go at a level nobody recorded: that counts as the middle of the scale (3), as in the skill points.
    const unknownUp = await pool.person('Unknown Then Ulf', { skills: [[skill('go'), null]] });
    await pool.pastProcess(unknownUp, { title: 'Backend 2025c', stage: 'interview', gaps: [skill('go')] });
    await api().patch(`/api/v1/candidates/${unknownUp}`).set(sut.admin).send({ skills: [{ name: skill('go'), level: 4 }] }).expect(200);
    const unknownMiddle = await pool.person('Unknown Then Una', { skills: [[skill('go'), null]] });
    await pool.pastProcess(unknownMiddle, { title: 'Backend 2025d', stage: 'interview', gaps: [skill('go')] });
    await api().patch(`/api/v1/candidates/${unknownMiddle}`).set(sut.admin).send({ skills: [{ name: skill('go'), level: 3 }] }).expect(200);
    sut.clock.set(NOW);
    const vacancy = await pool.vacancy('Go Engineer', { skills: [{ name: skill('go'), weight: 5, required: true }] });

    const items = await ranking(sut, vacancy);
    const byName = new Map(items.map((item) => [item.candidate.fullName, item]));
    expect(byName.get('Same Level Siv')!.closedGaps).toEqual([]);
    expect(byName.get('Same Level Siv')!.summary).not.toMatch(/gap/i);
    expect(byName.get('Better Level Bo')!.closedGaps).toEqual([expect.objectContaining({ skill: skill('go'), level: 5 })]);
    // The explanation names only the process whose gap was closed.
    expect(byName.get('Twice Named Tua')!.closedGaps).toEqual([
      expect.objectContaining({ skill: skill('go'), vacancy: expect.objectContaining({ title: 'Backend 2023' }) }),
    ]);
    expect(byName.get('Unknown Then Ulf')!.closedGaps).toEqual([
      expect.objectContaining({ skill: skill('go'), level: 4, vacancy: expect.objectContaining({ title: 'Backend 2025c' }) }),
    ]);
    expect(byName.get('Unknown Then Una')!.closedGaps).toEqual([]);
  });

  it('lifts someone we made a promise this vacancy keeps (by team or by skill), and only them', async () => {
    const promised = await pool.person('Promised Petra', { skills: [[skill('kotlin'), 3]] });
    await pool.pastProcess(promised, {
      title: 'Android 2025', team: 'Mobile', stage: 'interview',
      promise: { text: 'We will call you first for the next mobile role.', team: 'mobile' },
    });
    const elsewhere = await pool.person('Other Team Otto', { skills: [[skill('kotlin'), 3]] });
    await pool.pastProcess(elsewhere, {
      title: 'Backend 2025', stage: 'interview', promise: { text: 'Next backend role is yours to try.', team: 'Backend' },
    });
    const bySkill = await pool.person('Skill Promise Siv', { skills: [[skill('kotlin'), 3]] });
    await pool.pastProcess(bySkill, {
      title: 'Android 2025b', stage: 'interview', promise: { text: 'We will be in touch about Compose roles.', skills: [skill('compose')] },
    });
    await pool.person('Plain Pelle', { skills: [[skill('kotlin'), 3]] });
    sut.clock.set(NOW);
    const vacancy = await pool.vacancy('Android Engineer', {
      team: 'Mobile', skills: [{ name: skill('kotlin'), weight: 5, required: true }, { name: skill('compose'), weight: 3 }],
    });
    const items = await ranking(sut, vacancy);
    expect(namesOf(items).slice(0, 2).sort()).toEqual(['Promised Petra', 'Skill Promise Siv']);
    expect(namesOf(items).slice(2).sort()).toEqual(['Other Team Otto', 'Plain Pelle']);
    expect(items[0].promise).toMatchObject({ vacancy: { title: expect.stringMatching(/^Android 2025/) } });
    expect(items.find((item) => item.candidate.fullName === 'Other Team Otto')!.promise).toBeNull();
    const petra = items.find((item) => item.candidate.fullName === 'Promised Petra')!;
    expect(petra.signals.find((signal) => signal.signal === 'promise')).toEqual({
      signal: 'promise', points: 10, max: 10,
      explanation: 'We promised when they were not chosen for Android 2025: "We will call you first for the next mobile role."',
    });
  });

  it('explains every item in plain words: skills matched and missing, medals, closed gaps, the promise, points per signal', async () => {
    const alva = await pool.person('Alva Lindqvist', { skills: [[skill('go'), 4], [skill('k8s'), null]], city: 'Uppsala', country: 'SE' });
    await pool.pastProcess(alva, {
      title: 'Platform Engineer 2025', team: 'Platform', stage: 'final', medal: 'silver', gaps: [skill('kafka')],
      promise: { text: 'We will contact you first for the next platform role.', team: 'Platform' },
    });
    sut.clock.set(new Date(new Date(NOW).getTime() - 73 * 86_400_000));
    await api().patch(`/api/v1/candidates/${alva}`).set(sut.admin).send({
      skills: [{ name: skill('go'), level: 4 }, { name: skill('k8s') }, { name: skill('kafka'), level: 2 }],
    }).expect(200);
    sut.clock.set(NOW);
    const vacancy = await pool.vacancy('Platform Engineer', {
      team: 'Platform', location: 'Stockholm, SE',
      skills: [
        { name: skill('go'), weight: 5, required: true }, { name: skill('kafka'), weight: 4 },
        { name: skill('k8s'), weight: 3 }, { name: skill('terraform'), weight: 2 },
      ],
    });
    const [item] = await ranking(sut, vacancy);
    const k = (name: string) => skill(name);
    expect(item).toEqual({
      candidate: { id: alva, fullName: 'Alva Lindqvist', city: 'Uppsala', country: 'SE' },
      score: 69.1,
      meetsRequired: true,
      summary: `Promise to keep: "We will contact you first for the next platform role."; closed the ${k('kafka')} gap; ` +
        'silver medalist (Platform Engineer 2025); 3 of 4 skills, all required.',
      signals: [
        {
          signal: 'skills', points: 21.1, max: 40,
          explanation: `Has 3 of 4 skills: ${k('go')} (level 4), ${k('kafka')} (level 2) and ${k('k8s')} (level not given), ` +
            `every required skill included. Missing: ${k('terraform')}.`,
        },
        { signal: 'history', points: 15, max: 15, explanation: 'Silver medalist for Platform Engineer 2025 (March 2025).' },
        {
          signal: 'gapClosure', points: 16, max: 20,
          explanation: `Not chosen for Platform Engineer 2025 for lack of ${k('kafka')}; now has ${k('kafka')} (level 2).`,
        },
        {
          signal: 'promise', points: 10, max: 10,
          explanation: 'We promised when they were not chosen for Platform Engineer 2025: "We will contact you first for the next platform role."',
        },
        { signal: 'recentContact', points: 0, max: 5, explanation: expect.stringMatching(/^Last contact 365 days ago/) },
        { signal: 'profileUpdate', points: 4, max: 5, explanation: 'Profile updated 73 days ago.' },
        { signal: 'location', points: 3, max: 5, explanation: 'Lives in the same country (SE) as the role (Stockholm, SE).' },
      ],
      matchedSkills: [
        { name: k('go'), level: 4, weight: 5, required: true },
        { name: k('kafka'), level: 2, weight: 4, required: false },
        { name: k('k8s'), level: null, weight: 3, required: false },
      ],
      missingSkills: [{ name: k('terraform'), weight: 2, required: false }],
      closedGaps: [{ skill: k('kafka'), level: 2, vacancy: { id: expect.any(String), title: 'Platform Engineer 2025' }, namedAt: T0 }],
      promise: { text: 'We will contact you first for the next platform role.', vacancy: { id: expect.any(String), title: 'Platform Engineer 2025' }, madeAt: T0 },
      medals: [{ medal: 'silver', rank: 2, vacancy: { id: expect.any(String), title: 'Platform Engineer 2025' }, awardedAt: T0 }],
      history: { stage: 'final', vacancy: { id: expect.any(String), title: 'Platform Engineer 2025' } },
      lastContact: { at: T0, type: expect.any(String) },
      profileUpdatedAt: new Date(new Date(NOW).getTime() - 73 * 86_400_000).toISOString(),
      location: { fit: 'country', city: 'Uppsala', country: 'SE' },
      match: null,
    });
    expect(item.signals.reduce((sum, signal) => sum + signal.points, 0)).toBeCloseTo(item.score, 5);
  });

  it('pages with a cursor through both tiers, honours minScore and limit, and refuses what it cannot read', async () => {
    for (const [name, level] of [['One', 5], ['Two', 4], ['Three', 3], ['Four', 2]] as const) {
      await pool.person(`Pager ${name}`, { skills: [[skill('php'), level], [skill('laravel'), level]] });
    }
    await pool.person('Pager Missing', { skills: [[skill('laravel'), 5]] });
    sut.clock.set(NOW);
    const vacancy = await pool.vacancy('PHP Developer', {
      skills: [{ name: skill('php'), weight: 5, required: true }, { name: skill('laravel'), weight: 5 }],
    });
    const all = namesOf(await ranking(sut, vacancy));
    expect(all).toEqual(['Pager One', 'Pager Two', 'Pager Three', 'Pager Four', 'Pager Missing']);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: { candidate: { fullName: string } }[]; nextCursor: string | null } } =
        await api().get(`/api/v1/vacancies/${vacancy}/matches?limit=2${cursor ? `&cursor=${cursor}` : ''}`).set(await sut.keyFor('viewer')).expect(200);
      seen.push(...page.body.items.map((item) => item.candidate.fullName));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all);

    const strong = await ranking(sut, vacancy, 'minScore=28');
    expect(namesOf(strong)).toEqual(['Pager One', 'Pager Two', 'Pager Three']);
    expect(strong.every((item) => item.score >= 28)).toBe(true);

    expectProblem(await api().get(`/api/v1/vacancies/${vacancy}/matches?limit=101`).set(sut.admin), 400, ['limit']);
    expectProblem(await api().get(`/api/v1/vacancies/${vacancy}/matches?minScore=-1`).set(sut.admin), 400, ['minScore']);
    // An empty minScore was read as 0 and "0x1C" as 28; neither is a score as a person writes one.
    for (const minScore of ['', '0x1C', '2.8e1']) {
      expectProblem(await api().get(`/api/v1/vacancies/${vacancy}/matches?minScore=${minScore}`).set(sut.admin), 400, ['minScore']);
    }
    expect(namesOf(await ranking(sut, vacancy, 'minScore=28.0'))).toEqual(namesOf(strong));
    expectProblem(await api().get(`/api/v1/vacancies/${vacancy}/matches?cursor=bm9wZQ`).set(sut.admin), 400, ['cursor']);
    const forged = Buffer.from(JSON.stringify(['matches.ranking', 7, 1.5, '00000000-0000-4000-8000-000000000000'])).toString('base64url');
    expectProblem(await api().get(`/api/v1/vacancies/${vacancy}/matches?cursor=${forged}`).set(sut.admin), 400, ['cursor']);
    expectProblem(await api().get('/api/v1/vacancies/00000000-0000-4000-8000-000000000000/matches').set(sut.admin), 404);
    expectProblem(await api().get(`/api/v1/vacancies/${vacancy}/matches`), 401);
  });
});
