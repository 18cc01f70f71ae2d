import { CampaignRunner } from '../src/campaign/campaign-runner.service';
import { OutboxService } from '../src/email/outbox.service';
import { PrivacyJobService } from '../src/privacy/lifecycle/privacy-job.service';
import { addCandidate } from './support/pool';
import { expectProblem } from './support/problem';
import { startTestApp, TestApp } from './support/test-app';

const DAY = 86_400_000;
/** 10:00 in Stockholm: after PRIVACY_JOB_HOUR. */
const T0 = Date.parse('2026-03-02T09:00:00Z');
const dayAt = (days: number) => new Date(T0 + days * DAY);
const ENV = { COMPANY_NAME: 'Acme', PUBLIC_BASE_URL: 'https://talent.acme.test' };

interface EmailSummary { id: string; templateKey: string; category: string; status: string }

/** Helpers bound to one app. */
function privacyApi(app: () => TestApp) {
  const api = () => app().http();
  return {
    api,
    /** A candidate whose talent-pool consent ends in `days` days from the app's now. */
    async pooled(days: number, fields: Record<string, unknown> = {}) {
      const person = await addCandidate(app(), fields);
      await api().post(`/api/v1/candidates/${person.id}/consents`).set(app().admin).send({
        scope: 'talent_pool', textVersion: 'v1', source: 'application_form',
        expiresAt: new Date(app().clock.now().getTime() + days * DAY).toISOString(),
      }).expect(201);
      return person;
    },
    runJob: () => app().app.get(PrivacyJobService).runDaily(),
    async emailsOf(candidateId: string, templateKey?: string): Promise<EmailSummary[]> {
      const items: EmailSummary[] = (await api().get(`/api/v1/emails?candidateId=${candidateId}&limit=100`).set(app().admin).expect(200)).body.items;
      return items.filter((item) => !templateKey || item.templateKey === templateKey);
    },
    email: async (id: string) => (await api().get(`/api/v1/emails/${id}`).set(app().admin).expect(200)).body,
    candidate: (id: string) => api().get(`/api/v1/candidates/${id}`).set(app().admin),
    async searchValid(tag: string): Promise<string[]> {
      const found = await api().get(`/api/v1/candidates?consent=valid&tags=${tag}&limit=100`).set(app().admin).expect(200);
      return found.body.items.map((item: { id: string }) => item.id);
    },
    async trail(candidateId: string, action: string) {
      return (await api().get(`/api/v1/audit?candidateId=${candidateId}&action=${action}`).set(app().admin).expect(200)).body.items;
    },
  };
}

describe('Privacy: consent renewal requests', () => {
  let sut: TestApp;
  const p = privacyApi(() => sut);

  beforeAll(async () => {
    sut = await startTestApp(ENV);
  });
  afterAll(() => sut.close());

  it('asks 30 and 7 days before expiry, once each, through the outbox, with a signed link', async () => {
    sut.clock.set(dayAt(0));
    const member = await p.pooled(40);
    const archived = await p.pooled(40);
    await p.api().patch(`/api/v1/candidates/${archived.id}`).set(sut.admin).send({ status: 'archived' }).expect(200);
    const withdrawn = await p.pooled(40);
    await p.api().post(`/api/v1/candidates/${withdrawn.id}/consents/withdrawal`).set(sut.admin).send({ scope: 'talent_pool' }).expect(200);

    expect(await p.runJob()).toMatchObject({ day: '2026-03-02', ran: true, renewalRequests: 0 });
    sut.clock.set(dayAt(9));
    expect(await p.runJob()).toMatchObject({ ran: true, renewalRequests: 0 });

    sut.clock.set(dayAt(10));
    expect(await p.runJob()).toMatchObject({ day: '2026-03-12', ran: true, renewalRequests: 1 });
    expect(await p.runJob()).toMatchObject({ day: '2026-03-12', ran: false, renewalRequests: 0 });
    const [first] = await p.emailsOf(member.id, 'consent_renewal');
    expect(first).toMatchObject({ category: 'transactional', status: 'held' });
    const rendered = await p.email(first.id);
    expect(rendered.subject).toBe('Would you like to stay in our talent pool?');
    expect(rendered.textBody).toContain('your consent for that expires on Saturday, 11 April 2026');
    expect(rendered.textBody).toMatch(/https:\/\/talent\.acme\.test\/consent\/[\w-]+\.[\w-]+/);
    expect(await p.emailsOf(archived.id, 'consent_renewal')).toEqual([]);
    expect(await p.emailsOf(withdrawn.id, 'consent_renewal')).toEqual([]);

    sut.clock.set(dayAt(11));
    expect(await p.runJob()).toMatchObject({ renewalRequests: 0 });

    // Someone who joins with five days left gets only the last reminder, not both at once.
    sut.clock.set(dayAt(33));
    const late = await p.pooled(5);
    expect(await p.runJob()).toMatchObject({ renewalRequests: 2 });
    expect(await p.emailsOf(member.id, 'consent_renewal')).toHaveLength(2);
    expect(await p.emailsOf(late.id, 'consent_renewal')).toHaveLength(1);

    sut.clock.set(dayAt(34));
    expect(await p.runJob()).toMatchObject({ renewalRequests: 0 });
  });

  it('does not run before PRIVACY_JOB_HOUR in the organisation time zone', async () => {
    sut.clock.set('2026-05-04T05:30:00Z'); // 07:30 in Stockholm
    expect(await p.runJob()).toMatchObject({ day: '2026-05-04', ran: false });
    sut.clock.set('2026-05-04T06:00:00Z');
    expect(await p.runJob()).toMatchObject({ day: '2026-05-04', ran: true });
  });
});

describe('Privacy: the renewal link', () => {
  let sut: TestApp;
  const p = privacyApi(() => sut);
  const linkOf = async (candidateId: string) => {
    const [renewal] = await p.emailsOf(candidateId, 'consent_renewal');
    return /https:\/\/talent\.acme\.test(\/consent\/[\w.-]+)/.exec((await p.email(renewal.id)).textBody)![1];
  };

  beforeAll(async () => {
    sut = await startTestApp(ENV);
    sut.clock.set(dayAt(0));
  });
  afterAll(() => sut.close());

  it('renews: the page offers both choices, staying records new consent evidence from the candidate', async () => {
    const member = await p.pooled(20, { tags: ['renews'] });
    await p.runJob();
    const link = await linkOf(member.id);

    const page = await p.api().get(link).expect(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.text).toContain('Stay in our talent pool?');
    expect(page.text).toContain('Your consent is valid until 22 March 2026.');
    expect(page.text).toContain('Keep me in the pool');
    expect(page.text).toContain('Remove me');

    sut.clock.advance(60_000);
    const stayed = await p.api().post(`${link}/renew`).expect(200);
    expect(stayed.text).toContain('Thank you for staying');
    expect(stayed.text).toContain('Your consent is renewed until 2 March 2027.');

    const consents = (await p.api().get(`/api/v1/candidates/${member.id}/consents`).set(sut.admin).expect(200)).body.items;
    expect(consents).toHaveLength(2);
    expect(consents[0]).toMatchObject({
      source: 'email_link', textVersion: 'renewal-link-1-en', recordedByKeyId: null,
      grantedAt: sut.clock.now().toISOString(), expiresAt: '2027-03-02T09:01:00.000Z', withdrawnAt: null,
    });
    expect((await p.candidate(member.id).expect(200)).body.consent).toEqual({ state: 'valid', validUntil: '2027-03-02T09:01:00.000Z' });
    const [renewed] = await p.trail(member.id, 'consent_renewed');
    expect(renewed).toMatchObject({ actor: { keyId: null, role: 'candidate' }, details: { source: 'email_link' } });
    expect(renewed.requestId).toEqual(expect.any(String));
  });

  it('leaves: withdrawal takes effect at once, the evidence is kept, waiting nurture is cancelled', async () => {
    const member = await p.pooled(20, { tags: ['leaves'], locale: 'sv' });
    sut.clock.set(dayAt(1));
    await p.runJob();
    const link = await linkOf(member.id);
    const [nurture] = await sut.app.get(OutboxService).enqueueForCandidates([
      { candidateId: member.id, templateKey: 'nurture_checkin', category: 'nurture', idempotencyKey: `nurture:${member.id}`, data: {} },
    ]);
    expect(nurture.status).toBe('held');
    expect(await p.searchValid('leaves')).toEqual([member.id]);

    const page = await p.api().get(link).expect(200);
    expect(page.text).toContain('Vill du vara kvar i vår talangpool?');
    expect(page.text).toContain('Ta bort mig');
    const left = await p.api().post(`${link}/withdraw`).expect(200);
    expect(left.text).toContain('Du har lämnat talangpoolen');
    expect(left.text).toContain('raderas inom 30 dagar');

    expect(await p.searchValid('leaves')).toEqual([]);
    expect((await p.candidate(member.id).expect(200)).body.consent).toEqual({ state: 'withdrawn', validUntil: null });
    const consents = (await p.api().get(`/api/v1/candidates/${member.id}/consents`).set(sut.admin).expect(200)).body.items;
    expect(consents).toEqual([expect.objectContaining({ source: 'application_form', withdrawnAt: sut.clock.now().toISOString() })]);
    expect((await p.email(nurture.id)).status).toBe('cancelled');
    // A renewal request still waiting asks what they just answered.
    expect((await p.emailsOf(member.id, 'consent_renewal')).map((email: { status: string }) => email.status)).toEqual(['cancelled']);
    expect(await p.trail(member.id, 'consent_withdrawn')).toEqual([
      expect.objectContaining({ actor: { keyId: null, role: 'candidate' }, details: { scope: 'talent_pool', via: 'consent renewal link' } }),
    ]);
  });

  it('answers a tampered, unknown or expired link with a 400 page', async () => {
    const member = await p.pooled(20);
    sut.clock.set(dayAt(2));
    await p.runJob();
    const link = await linkOf(member.id);
    expect((await p.api().get(`${link.slice(0, -2)}xx`).expect(400)).text).toContain('This link does not work');
    await p.api().post(`${link.slice(0, -2)}xx/renew`).expect(400);
    await p.api().get('/consent/not-a-token').expect(400);
    // The link works until the person would be erased: expiry plus the grace period.
    sut.clock.set(dayAt(2 + 20 + 30));
    await p.api().get(link).expect(400);
  });
});

describe('Privacy: consent expiry', () => {
  let sut: TestApp;
  const p = privacyApi(() => sut);

  beforeAll(async () => {
    sut = await startTestApp({ ...ENV, SEND_WINDOW: 'always' });
    sut.clock.set(dayAt(0));
  });
  afterAll(() => sut.close());

  it('takes the person out of the pool the moment consent expires: search, nurture, enrollments', async () => {
    const member = await p.pooled(2, { tags: ['expiring'] });
    const staying = await p.pooled(200, { tags: ['expiring'] });
    const campaign = (await p.api().post('/api/v1/campaigns').set(sut.admin).send({
      name: 'Keep in touch', audience: { tags: ['expiring'] }, steps: [{ templateKey: 'nurture_checkin', delay: 'P30D' }],
    }).expect(201)).body;
    await p.api().post(`/api/v1/campaigns/${campaign.id}/resume`).set(sut.admin).expect(200);
    await sut.app.get(CampaignRunner).runDue();
    const [nurture] = await sut.app.get(OutboxService).enqueueForCandidates([
      { candidateId: member.id, templateKey: 'nurture_checkin', category: 'nurture', idempotencyKey: `nurture:${member.id}`, data: {} },
    ]);
    expect((await p.searchValid('expiring')).sort()).toEqual([member.id, staying.id].sort());

    sut.clock.set(new Date(dayAt(2).getTime() + 60_000));
    expect(await p.searchValid('expiring')).toEqual([staying.id]);
    expect((await p.candidate(member.id).expect(200)).body.consent.state).toBe('expired');

    await sut.app.get(CampaignRunner).runDue();
    const enrollments = (await p.api().get(`/api/v1/campaigns/${campaign.id}/enrollments`).set(sut.admin).expect(200)).body.items;
    expect(enrollments.find((item: { candidateId: string }) => item.candidateId === member.id)).toMatchObject({
      status: 'exited', exitReason: 'consent_expired',
    });
    expect(enrollments.find((item: { candidateId: string }) => item.candidateId === staying.id)).toMatchObject({ status: 'active' });

    expect(await p.runJob()).toMatchObject({ ran: true, consentsExpired: 1, nurtureCancelled: 1, erasedAfterConsentEnded: 0 });
    expect(await p.email(nurture.id)).toMatchObject({ status: 'cancelled', lastError: 'talent-pool consent expired' });
    expect(await p.trail(member.id, 'consent_expired')).toEqual([
      expect.objectContaining({ actor: { keyId: null, role: 'system' }, requestId: null, details: expect.objectContaining({ expiredAt: dayAt(2).toISOString() }) }),
    ]);
    sut.clock.set(dayAt(3));
    expect(await p.runJob()).toMatchObject({ ran: true, consentsExpired: 0 });
  });
});

describe('Privacy: erasure after the grace period', () => {
  let sut: TestApp;
  const p = privacyApi(() => sut);

  beforeAll(async () => {
    sut = await startTestApp(ENV);
    sut.clock.set(dayAt(0));
  });
  afterAll(() => sut.close());

  it('erases CONSENT_GRACE_DAYS after consent ended, but not while the person is in an active process', async () => {
    const expired = await p.pooled(1);
    const inProcess = await p.pooled(1);
    const withdrew = await p.pooled(100);
    await p.api().post(`/api/v1/candidates/${withdrew.id}/consents/withdrawal`).set(sut.admin).send({ scope: 'talent_pool' }).expect(200);
    const vacancy = (await p.api().post('/api/v1/vacancies').set(sut.admin).send({
      title: 'Platform Engineer', hiringManager: { name: 'Hanna Manager', email: 'hanna@acme.test' },
      status: 'open', expectedDecisionDate: '2026-12-15',
    }).expect(201)).body;
    const candidacy = (await p.api().post('/api/v1/candidacies').set(sut.admin)
      .send({ candidateId: inProcess.id, vacancyId: vacancy.id }).expect(201)).body;

    sut.clock.set(dayAt(29));
    expect(await p.runJob()).toMatchObject({ erasedAfterConsentEnded: 0 });
    sut.clock.set(dayAt(30));
    expect(await p.runJob()).toMatchObject({ erasedAfterConsentEnded: 1, keptInActiveProcess: 0 });
    await p.candidate(withdrew.id).expect(404);
    await p.candidate(expired.id).expect(200);

    sut.clock.set(dayAt(31));
    expect(await p.runJob()).toMatchObject({ erasedAfterConsentEnded: 1, keptInActiveProcess: 1 });
    await p.candidate(expired.id).expect(404);
    await p.candidate(inProcess.id).expect(200);

    await p.api().post(`/api/v1/candidacies/${candidacy.id}/decision`).set(sut.admin).send({ outcome: 'rejected' }).expect(200);
    sut.clock.set(dayAt(32));
    expect(await p.runJob()).toMatchObject({ erasedAfterConsentEnded: 1, keptInActiveProcess: 0 });
    await p.candidate(inProcess.id).expect(404);

    const erasures = (await p.api().get('/api/v1/audit?action=candidate_erased').set(sut.admin).expect(200)).body.items;
    expect(erasures.map((entry: { candidateId: string }) => entry.candidateId)).toEqual([inProcess.id, expired.id, withdrew.id]);
    for (const entry of erasures) {
      expect(entry).toMatchObject({ actor: { keyId: null, role: 'system' }, details: { reason: 'consent_ended' } });
    }
  });
  it('keeps "remove me" from someone who never gave pool consent, and erases them after the grace period', async () => {
    sut.clock.set(dayAt(40));
    const applicant = await addCandidate(sut);
    const link = new URL(sut.app.get(OutboxService).candidateLinks(applicant.id).profile).pathname;
    const removed = await p.api().post(link).type('form').send('interest=remove').expect(200);
    expect(removed.text).toContain('You have left the talent pool');
    expect((await p.candidate(applicant.id).expect(200)).body.consent).toEqual({ state: 'withdrawn', validUntil: null });
    expect((await p.api().get(link).expect(200)).text).toContain('You are not in our talent pool');
    // Evidence dated before their wish cannot undo it.
    const consents = `/api/v1/candidates/${applicant.id}/consents`;
    const backDated = { scope: 'talent_pool', textVersion: 'v1', source: 'verbal', grantedAt: dayAt(39).toISOString() };
    expectProblem(await p.api().post(consents).set(sut.admin).send(backDated), 400, ['grantedAt']);

    sut.clock.set(dayAt(69));
    expect(await p.runJob()).toMatchObject({ erasedAfterConsentEnded: 0 });
    await p.candidate(applicant.id).expect(200);
    sut.clock.set(dayAt(70));
    expect(await p.runJob()).toMatchObject({ erasedAfterConsentEnded: 1 });
    await p.candidate(applicant.id).expect(404);
  });
});
