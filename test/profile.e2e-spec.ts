import { CampaignRunner } from '../src/campaign/campaign-runner.service';
import { Signer } from '../src/common/secrets/signer';
import { OutboxService } from '../src/email/outbox.service';
import { ProfileService } from '../src/profile/profile.service';
import { NOW, PoolBuilder, ranking, T0 } from './support/matching-history';
import { startTestApp, TestApp } from './support/test-app';

const DAY = 86_400_000;

/**
 * The candidate's own page behind `/p/:token`, as they reach it from an
 * email: they keep skills, location and interest current, and leave the
 * pool if they want to.
 */
describe(ProfileService.name, () => {
  let sut: TestApp;
  let pool: PoolBuilder;
  let round = 0;
  const skill = (name: string) => `${name}.${round}`;
  const api = () => sut.http();
  const profilePath = (candidateId: string) => new URL(sut.app.get(OutboxService).candidateLinks(candidateId).profile).pathname;
  const candidate = async (id: string) => (await api().get(`/api/v1/candidates/${id}`).set(sut.admin).expect(200)).body;
  const timeline = async (id: string) =>
    (await api().get(`/api/v1/candidates/${id}/timeline?limit=100`).set(sut.admin).expect(200)).body.items as { type: string; payload: Record<string, unknown> }[];

  /** Sara was our silver medalist for a data role, turned down for lack of flink; now a streaming role is open. */
  async function saraAndVacancy(): Promise<{ sara: string; vacancy: string }> {
    sut.clock.set(T0);
    const sara = await pool.person('Sara Svensson', { skills: [[skill('scala'), 3]], city: 'Göteborg', country: 'SE', locale: 'sv' });
    await pool.pastProcess(sara, { title: 'Data Engineer 2025', stage: 'final', medal: 'silver', gaps: [skill('flink')] });
    sut.clock.set(NOW);
    const vacancy = await pool.vacancy('Streaming Engineer', {
      location: 'Göteborg', skills: [{ name: skill('scala'), weight: 4, required: true }, { name: skill('flink'), weight: 5 }],
    });
    return { sara, vacancy };
  }

  beforeAll(async () => {
    sut = await startTestApp({ COMPANY_NAME: 'Acme', PUBLIC_BASE_URL: 'https://talent.acme.test' });
    pool = new PoolBuilder(sut);
  });
  afterAll(() => sut.close());
  beforeEach(() => {
    round += 1;
  });

  it('shows the page in their language with their skills, place and interest; a tampered, expired or other link gets a friendly page', async () => {
    const { sara } = await saraAndVacancy();
    const path = profilePath(sara);
    const page = await api().get(path).expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.text).toContain('<html lang="sv">');
    expect(page.text).toContain('Din profil');
    expect(page.text).toContain('Hej Sara!');
    expect(page.text).toContain(`value="${skill('scala')}"`);
    expect(page.text).toContain('<option value="3" selected>3</option>');
    expect(page.text).toContain('value="Göteborg"');
    expect(page.text).toContain(`action="${path}"`);
    expect(page.text).toContain('Ta bort mig ur talangpoolen');
    expect(page.text).not.toMatch(/value="open"[^>]*checked/);
    // The "still interested" link in nurture emails opens the page with the answer preselected.
    expect((await api().get(`${path}?interest=open`).expect(200)).text).toMatch(/value="open"[^>]*checked/);

    const tampered = `${path.slice(0, -1)}${path.endsWith('A') ? 'B' : 'A'}`;
    const signed = (purpose: 'unsubscribe' | 'profile', candidateId: string) => `/p/${sut.app.get(Signer).sign({ purpose, candidateId })}`;
    // Signed, but for another page or for an id that is no id (a leaked or test secret must not reach SQL with it).
    for (const bad of [tampered, signed('unsubscribe', sara), signed('profile', 'not-a-uuid'), signed('profile', ''), '/p/nonsense']) {
      const refused = await api().get(bad).expect(400);
      expect(refused.headers['content-type']).toMatch(/^text\/html/);
      expect(refused.text).toContain('This link does not work');
    }
    await api().post(tampered).type('form').send({ city: 'Oslo' }).expect(400);
    sut.clock.set(new Date(new Date(NOW).getTime() + 91 * DAY));
    expect((await api().get(path).expect(400)).text).toContain('too old');
    sut.clock.set(NOW);
    expect((await candidate(sara)).city).toBe('Göteborg');
  });

  it('saves skills and place through the same rules as the API, writes the timeline, and feeds matching at once', async () => {
    const { sara, vacancy } = await saraAndVacancy();
    const before = (await ranking(sut, vacancy)).find((item) => item.candidate.id === sara)!;
    expect(before.closedGaps).toEqual([]);

    const saved = await api().post(profilePath(sara)).type('form').send(
      `skill=${encodeURIComponent(skill('scala'))}&level=3&skill=${encodeURIComponent(skill('flink'))}&level=2&skill=%20K8S%20&level=` +
      '&skill=&level=&city=Malm%C3%B6&country=se&interest=',
    ).expect(200);
    expect(saved.text).toContain('Tack, din profil är uppdaterad.');
    expect(saved.text).toContain('value="kubernetes"');

    const view = await candidate(sara);
    expect(view).toMatchObject({ city: 'Malmö', country: 'SE' });
    expect(view.skills).toEqual(expect.arrayContaining([
      { name: skill('scala'), level: 3 }, { name: skill('flink'), level: 2 }, { name: 'kubernetes', level: null },
    ]));
    const [entry] = (await timeline(sara)).filter((item) => item.type === 'profile_updated');
    // "se" is SE as the API stores it: not a change.
    expect(entry.payload).toEqual({ fields: ['skills', 'city'], via: 'profile page' });

    // At once: the gap she was turned down for is closed, no scheduler needed.
    const after = (await ranking(sut, vacancy)).find((item) => item.candidate.id === sara)!;
    expect(after.closedGaps).toEqual([expect.objectContaining({ skill: skill('flink'), level: 2, vacancy: expect.objectContaining({ title: 'Data Engineer 2025' }) })]);
    expect(after.score).toBeGreaterThan(before.score);

    // Saving the page unchanged records nothing new.
    await api().post(profilePath(sara)).type('form')
      .send(`skill=${encodeURIComponent(skill('scala'))}&level=3&skill=${encodeURIComponent(skill('flink'))}&level=2&skill=kubernetes&level=&city=Malm%C3%B6&country=SE`)
      .expect(200);
    expect((await timeline(sara)).filter((item) => item.type === 'profile_updated')).toHaveLength(1);

    // A form declared in Latin-1 is read as Latin-1: %F6 is ö there.
    await api().post(profilePath(sara)).set('Content-Type', 'application/x-www-form-urlencoded; charset=iso-8859-1')
      .send('city=V%E4ster%E5s').expect(200);
    expect(await candidate(sara)).toMatchObject({ city: 'Västerås' });
  });

  it('refuses what the API refuses, shows why, and saves nothing', async () => {
    const { sara } = await saraAndVacancy();
    const path = profilePath(sara);
    const levelSeven = await api().post(path).type('form').send(`skill=${encodeURIComponent(skill('scala'))}&level=7&city=G%C3%B6teborg&country=SE`).expect(400);
    expect(levelSeven.text).toContain('Kontrollera de här fälten; inget sparades:');
    expect(levelSeven.text).toContain('Nivå: från 1 (grundläggande) till 5 (expert), eller ej angiven.');
    const country = await api().post(path).type('form').send(`skill=${encodeURIComponent(skill('scala'))}&level=3&city=G%C3%B6teborg&country=Sweden`).expect(400);
    // In the person's language and words, not the API's.
    expect(country.text).toContain('Land: landskoden med två bokstäver');
    expect(country.text).not.toContain('ISO 3166');
    expect(country.text).toContain('value="Sweden"');
    expect((await api().post(path).type('form').send('email=me%40evil.test&city=X').expect(400)).text).toContain('Formuläret har ändrats');
    expect((await api().post(path).type('form').send('interest=maybe').expect(400)).text).toContain('Nya roller: välj ett av de tre svaren.');
    // %-escapes that are not UTF-8 (no browser sends them) were kept as the escapes: "%C0%AF" became a skill "c0 af".
    for (const broken of ['skill=%C0%AF&level=2', 'city=%ED%A0%80', 'city=100%']) {
      const page = await api().post(path).type('form').send(broken).expect(400);
      // A page the person can read, as for any other failure on their own pages, not the API's problem+json.
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.text).toContain('could not read what was sent');
    }
    const view = await candidate(sara);
    expect(view).toMatchObject({ city: 'Göteborg', country: 'SE', skills: [{ name: skill('scala'), level: 3 }] });
    expect((await timeline(sara)).map((item) => item.type)).not.toContain('profile_updated');
  });

  it('"not right now" leaves them out of matching until they are open to offers again', async () => {
    const { sara, vacancy } = await saraAndVacancy();
    const path = profilePath(sara);
    await api().post(path).type('form').send(`skill=${encodeURIComponent(skill('scala'))}&level=3&city=G%C3%B6teborg&country=SE&interest=not_now`).expect(200);
    expect((await ranking(sut, vacancy)).map((item) => item.candidate.id)).not.toContain(sara);
    expect((await api().get(path).expect(200)).text).toMatch(/value="not_now"[^>]*checked/);
    sut.clock.advance(60_000);
    await api().post(path).type('form').send(`skill=${encodeURIComponent(skill('scala'))}&level=3&city=G%C3%B6teborg&country=SE&interest=open`).expect(200);
    expect((await ranking(sut, vacancy)).map((item) => item.candidate.id)).toContain(sara);
    expect((await timeline(sara)).filter((item) => item.type === 'interest_changed').map((item) => item.payload.interest)).toEqual(['open', 'not_now']);
  });

  it('records one answer when the page is sent several times at once', async () => {
    const { sara } = await saraAndVacancy();
    const form = `skill=${encodeURIComponent(skill('scala'))}&level=3&city=G%C3%B6teborg&country=SE&interest=not_now`;
    const answers = await Promise.all([1, 2, 3].map(() => api().post(profilePath(sara)).type('form').send(form)));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
    expect((await timeline(sara)).filter((item) => item.type === 'interest_changed')).toHaveLength(1);
  });

  it('"remove me" withdraws consent and stops all nurture: queued emails cancelled, the sequence ended, no more matching', async () => {
    const { sara, vacancy } = await saraAndVacancy();
    const campaign = (await api().post('/api/v1/campaigns').set(sut.admin)
      .send({ name: `Check-ins ${round}`, steps: [{ templateKey: 'nurture_checkin', delay: 'P30D' }] }).expect(201)).body.id;
    await api().post(`/api/v1/campaigns/${campaign}/resume`).set(sut.admin).expect(200);
    await api().post(`/api/v1/campaigns/${campaign}/enrollments`).set(sut.admin).send({ candidateId: sara }).expect(201);
    const [nurture] = await sut.app.get(OutboxService).enqueueForCandidates([{
      candidateId: sara, templateKey: 'nurture_checkin', category: 'nurture', idempotencyKey: `checkin:${round}`,
      data: { links: { stillInterested: 'https://talent.acme.test/p/x' } },
    }]);

    const removed = await api().post(profilePath(sara)).type('form').send('interest=remove&city=Oslo').expect(200);
    expect(removed.text).toContain('Du har lämnat talangpoolen');
    expect((await candidate(sara)).consent.state).toBe('withdrawn');
    expect((await api().get(`/api/v1/emails/${nurture.id}`).set(sut.admin).expect(200)).body.status).toBe('cancelled');
    await sut.app.get(CampaignRunner).runDue();
    // (The campaign's audience may enrol other people in the pool; Sara's is the one that matters.)
    const enrollment = (await api().get(`/api/v1/campaigns/${campaign}/enrollments?limit=100`).set(sut.admin).expect(200)).body.items
      .find((item: { candidateId: string }) => item.candidateId === sara);
    expect(enrollment).toMatchObject({ candidateId: sara, status: 'exited', exitReason: 'consent_withdrawn' });
    expect((await ranking(sut, vacancy)).map((item) => item.candidate.id)).not.toContain(sara);
    expect((await timeline(sara)).find((item) => item.type === 'consent_withdrawn')!.payload).toEqual({ scope: 'talent_pool', via: 'profile page' });
    expect((await candidate(sara)).city).toBe('Göteborg');
    // The link still opens, and says where they stand.
    expect((await api().get(profilePath(sara)).expect(200)).text).toContain('Du finns inte i vår talangpool');
  });

  it('answers an invitation: the "yes" link opens the page for that role and marks the match applied', async () => {
    const { sara, vacancy } = await saraAndVacancy();
    await api().post(`/api/v1/vacancies/${vacancy}/matches/run`).set(sut.admin).expect(200);
    const [match] = (await api().get(`/api/v1/matches?vacancyId=${vacancy}&candidateId=${sara}`).set(sut.admin).expect(200)).body.items;
    const invited = (await api().post(`/api/v1/matches/${match.id}/invite`).set(sut.admin).send({}).expect(200)).body;
    const text = (await api().get(`/api/v1/emails/${invited.invitationEmailId}`).set(sut.admin).expect(200)).body.textBody as string;
    const yes = new URL(/https:\/\/talent\.acme\.test\/p\/\S+\?interest=open&match=\S+/.exec(text)![0]);

    const page = await api().get(`${yes.pathname}${yes.search}`).expect(200);
    expect(page.text).toContain('Du svarar på vår inbjudan till Streaming Engineer.');
    expect(page.text).toContain(`name="match" value="${match.id}"`);
    expect(page.text).toMatch(/value="open"[^>]*checked/);
    await api().post(yes.pathname).type('form')
      .send(`match=${match.id}&interest=open&skill=${encodeURIComponent(skill('scala'))}&level=3&city=G%C3%B6teborg&country=SE`).expect(200);
    expect((await api().get(`/api/v1/matches/${match.id}`).set(sut.admin).expect(200)).body).toMatchObject({ status: 'applied', appliedAt: NOW });
    expect((await timeline(sara)).map((item) => item.type)).toEqual(expect.arrayContaining(['match_invited', 'match_applied', 'interest_changed']));

    // Another person's match id in the form changes nothing.
    const other = await pool.person('Other Person', { skills: [[skill('scala'), 2]] });
    await api().post(profilePath(other)).type('form').send(`match=${match.id}&interest=open`).expect(200);
  });
});
