import { DeliveryService } from '../src/email/delivery/delivery.service';
import { OutboxService } from '../src/email/outbox.service';
import { PrivacyJobService } from '../src/privacy/lifecycle/privacy-job.service';
import { addCandidate } from './support/pool';
import { ReceivedMail, SmtpSink } from './support/smtp-sink';
import { startTestApp, TestApp } from './support/test-app';

const DAY = 86_400_000;
const manager = { name: 'Hanna Manager', email: 'hanna.manager@acme.test' };

/**
 * The service behind a reverse proxy at a sub-path: candidates reach it at https://jobs.acme.test/talent/...,
 * and the proxy strips /talent before forwarding. Every link in an email and every form on the candidates'
 * pages must carry /talent; a bare /u/... would go to https://jobs.acme.test/u/..., past the proxy.
 */
describe('Candidate links under a PUBLIC_BASE_URL with a path', () => {
  const sink = new SmtpSink();
  let sut: TestApp;
  const api = () => sut.http();
  const deliver = () => sut.app.get(DeliveryService).deliverDue();

  /** What the proxy forwards for a URL the candidate's browser asks for: only what is under /talent reaches the app. */
  function forwarded(url: string): string {
    const asked = new URL(url, 'https://jobs.acme.test/talent/');
    expect(`${asked.origin}${asked.pathname}`).toMatch(/^https:\/\/jobs\.acme\.test\/talent\//);
    return `${asked.pathname.slice('/talent'.length)}${asked.search}`;
  }
  /** Where a page's forms post, as the browser reads the attribute. */
  const formActions = (html: string) => [...html.matchAll(/<form method="post" action="([^"]*)"/g)].map((found) => found[1].replace(/&amp;/g, '&'));
  /** The candidate link in an email (text and HTML agree), by its first path segment after /talent, without a query. */
  function linkIn(mail: ReceivedMail, page: string): string {
    const link = new RegExp(`https://jobs\\.acme\\.test/talent/${page}/[\\w-]+\\.[\\w-]+`).exec(mail.text)?.[0];
    expect(link).toBeDefined();
    expect(mail.html).toContain(link);
    return link!;
  }
  const mailTo = (address: string, subject: RegExp) => sink.to(address).find((mail) => subject.test(mail.subject))!;
  const statusOf = async (id: string) => (await api().get(`/api/v1/candidates/${id}`).set(sut.admin).expect(200)).body.status;

  beforeAll(async () => {
    sut = await startTestApp({
      SMTP_URL: await sink.start(), SEND_WINDOW: 'always', EMAIL_RATE_PER_SECOND: '1000', COMPANY_NAME: 'Acme',
      // With the trailing slash an operator may well write.
      PUBLIC_BASE_URL: 'https://jobs.acme.test/talent/',
    });
  });
  afterAll(async () => {
    await sut.close();
    await sink.stop();
  });

  async function nurtureMail(): Promise<{ candidate: { id: string; email: string }; mail: ReceivedMail }> {
    const candidate = await addCandidate(sut, { fullName: 'Tove Proxy', city: 'Umeå', country: 'SE' }, { consent: true });
    await sut.app.get(OutboxService).enqueueForCandidates([
      { candidateId: candidate.id, templateKey: 'nurture_checkin', category: 'nurture', idempotencyKey: `proxy-${candidate.id}`, data: {} },
    ]);
    await deliver();
    const [mail] = sink.to(candidate.email);
    return { candidate, mail };
  }

  it('unsubscribes through the one-click header, the link and the page\'s buttons, all under the path', async () => {
    const { candidate, mail } = await nurtureMail();
    const link = linkIn(mail, 'u');
    expect(mail.header('list-unsubscribe')).toBe(`<${link}>`);
    expect(mail.header('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');

    const page = await api().get(forwarded(link)).expect(200);
    const [unsubscribe] = formActions(page.text);
    expect(unsubscribe).toBe(new URL(link).pathname);
    await api().post(forwarded(unsubscribe)).type('form').send('List-Unsubscribe=One-Click').expect(200);
    expect(await statusOf(candidate.id)).toBe('opted_out');

    // The mail client's one-click POST goes to the header's URL, through the same proxy.
    const done = await api().post(forwarded(link)).type('form').send('List-Unsubscribe=One-Click').expect(200);
    expect(done.headers.location).toBeUndefined();
    const [resubscribe] = formActions(done.text);
    expect(resubscribe).toMatch(/^\/talent\/u\/[\w-]+\.[\w-]+\/resubscribe$/);
    expect((await api().post(forwarded(resubscribe)).type('form').send('').expect(200)).text).toContain('Welcome back');
    expect(await statusOf(candidate.id)).toBe('active');
  });

  it('serves the same pages to a proxy that passes the path on instead of stripping it', async () => {
    const { candidate, mail } = await nurtureMail();
    const link = linkIn(mail, 'u');
    const asked = new URL(link).pathname;
    const page = await api().get(asked).expect(200);
    const [unsubscribe] = formActions(page.text);
    expect(unsubscribe).toBe(asked);
    await api().post(unsubscribe).type('form').send('List-Unsubscribe=One-Click').expect(200);
    expect(await statusOf(candidate.id)).toBe('opted_out');
    await api().get('/talent/health/live').expect(200);
    await api().get(`/talent/api/v1/candidates/${candidate.id}`).set(sut.admin).expect(200);
    // The import reads its own upload there too: a CSV labelled JSON is its 415, not the JSON parser's 400.
    const mislabelled = await api().post('/talent/api/v1/candidates/import').set(sut.admin).set('Content-Type', 'application/json')
      .send('fullName,email\nA,a@example.com\n');
    expect(mislabelled.status).toBe(415);
    // Only the path itself: a longer first segment is another route, and not found.
    await api().get('/talentx/health/live').expect(404);
  });

  it('opens the profile page from the email and saves it through the page\'s form', async () => {
    const { candidate, mail } = await nurtureMail();
    const profile = linkIn(mail, 'p');
    // "Still interested" opens the same page with the answer chosen.
    expect(mail.text).toContain(`${profile}?interest=open`);

    const page = await api().get(forwarded(`${profile}?interest=open`)).expect(200);
    expect(page.text).toMatch(/value="open"[^>]*checked/);
    const [action] = formActions(page.text);
    expect(action).toBe(new URL(profile).pathname);
    const saved = await api().post(forwarded(action)).type('form').send('skill=kotlin&level=4&city=Lule%C3%A5&country=SE&interest=open').expect(200);
    expect(saved.text).toContain('Thank you, your profile is up to date.');
    expect(formActions(saved.text)).toEqual([action]);
    expect((await api().get(`/api/v1/candidates/${candidate.id}`).set(sut.admin).expect(200)).body.city).toBe('Luleå');
  });

  it('records consent from the consent request\'s link and the page\'s button', async () => {
    const vacancy = (await api().post('/api/v1/vacancies').set(sut.admin).send({
      title: 'Proxy Engineer', hiringManager: manager, status: 'open', expectedDecisionDate: '2026-04-15',
      criteria: { skills: [{ name: 'nginx', weight: 5 }] },
    }).expect(201)).body.id;
    const finalist = async (fields: Record<string, unknown>, consent: boolean) => {
      const person = await addCandidate(sut, fields, { consent });
      const id = (await api().post('/api/v1/candidacies').set(sut.admin).send({ candidateId: person.id, vacancyId: vacancy }).expect(201)).body.id;
      await api().post(`/api/v1/candidacies/${id}/stage`).set(sut.admin).send({ stage: 'final' }).expect(200);
      return { person, candidacy: id };
    };
    const hire = await finalist({}, true);
    const medalist = await finalist({ fullName: 'Mira Medal' }, false);
    await api().post(`/api/v1/candidacies/${medalist.candidacy}/decision`).set(sut.admin).send({ outcome: 'rejected', finalistRank: 2 }).expect(200);
    await api().post(`/api/v1/vacancies/${vacancy}/close`).set(sut.admin).send({ outcome: 'filled', hiredCandidacyId: hire.candidacy }).expect(200);
    await deliver();

    const link = linkIn(mailTo(medalist.person.email, /get in touch/), 'c');
    const page = await api().get(forwarded(link)).expect(200);
    const [action] = formActions(page.text);
    expect(action).toBe(new URL(link).pathname);
    expect((await api().post(forwarded(action)).expect(200)).text).toContain('You are in our talent pool.');
    const consents = (await api().get(`/api/v1/candidates/${medalist.person.id}/consents`).set(sut.admin).expect(200)).body.items;
    expect(consents).toEqual([expect.objectContaining({ source: 'email_link' })]);
  });

  it('renews consent from the renewal request\'s link and the page\'s buttons', async () => {
    const member = await addCandidate(sut, { fullName: 'Rune Renew' });
    await api().post(`/api/v1/candidates/${member.id}/consents`).set(sut.admin).send({
      scope: 'talent_pool', textVersion: 'v1', source: 'application_form',
      expiresAt: new Date(sut.clock.now().getTime() + 20 * DAY).toISOString(),
    }).expect(201);
    await sut.app.get(PrivacyJobService).runDaily();
    await deliver();

    const link = linkIn(mailTo(member.email, /stay in our talent pool/i), 'consent');
    const page = await api().get(forwarded(link)).expect(200);
    const path = new URL(link).pathname;
    expect(formActions(page.text)).toEqual([`${path}/renew`, `${path}/withdraw`]);
    expect((await api().post(forwarded(`${path}/renew`)).expect(200)).text).toContain('Thank you for staying');
  });
});
