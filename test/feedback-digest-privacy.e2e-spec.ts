import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { OutboxService } from '../src/email/outbox.service';
import { FeedbackDigestService } from '../src/relationship/feedback-digest.service';
import { interleave } from './support/interleave';
import { addCandidate } from './support/pool';
import { startTestApp, TestApp } from './support/test-app';

const manager = { name: 'Hanna Manager', email: 'hanna.manager@acme.test' };
const recruiter = { name: 'Rita Recruiter', email: 'rita@acme.test' };

interface HeldEmail {
  id: string;
  templateKey: string;
  idempotencyKey: string;
  toAddress: string;
  subject: string;
  textBody: string;
  htmlBody: string;
}

/** The digest emails the outbox holds (no SMTP_URL), with their bodies, oldest first. */
async function heldDigests(sut: TestApp): Promise<HeldEmail[]> {
  const page = (await sut.http().get('/api/v1/emails?status=held&limit=100').set(sut.admin).expect(200)).body;
  const digests = page.items.filter((email: { templateKey: string }) => email.templateKey === 'feedback_digest').reverse();
  return Promise.all(digests.map(async (email: { id: string }) =>
    (await sut.http().get(`/api/v1/emails/${email.id}`).set(sut.admin).expect(200)).body as HeldEmail));
}

/** Someone turned down after a phone screen on Monday 2 March: their feedback is due on 9 March. */
async function rejectedAfterScreening(sut: TestApp, vacancyTitle: string, fullName: string): Promise<{ id: string }> {
  const post = (path: string, body: object, status: number) => sut.http().post(path).set(sut.admin).send(body).expect(status);
  sut.clock.set('2026-03-02T09:00:00Z');
  const vacancy = (await post('/api/v1/vacancies', {
    title: vacancyTitle, hiringManager: manager, recruiter, status: 'open', expectedDecisionDate: '2026-04-15',
  }, 201)).body;
  const person = await addCandidate(sut, { fullName });
  const candidacy = (await post('/api/v1/candidacies', { candidateId: person.id, vacancyId: vacancy.id }, 201)).body;
  await post(`/api/v1/candidacies/${candidacy.id}/stage`, { stage: 'screening' }, 200);
  await post(`/api/v1/candidacies/${candidacy.id}/decision`, { outcome: 'rejected' }, 200);
  return person;
}

const digestKey = (day: string, address: string) =>
  `feedback-digest:${day}:${createHash('sha256').update(address).digest('hex').slice(0, 32)}`;

describe(`${FeedbackDigestService.name} and overdue privacy requests`, () => {
  let sut: TestApp;
  const api = () => sut.http();
  const runDaily = () => sut.app.get(FeedbackDigestService).runDaily();
  const privacyRequest = async (body: Record<string, unknown>) =>
    (await api().post('/api/v1/privacy-requests').set(sut.admin).send(body).expect(201)).body;

  beforeAll(async () => {
    // The privacy contact is also the recruiter, spelt differently: one digest per address.
    sut = await startTestApp({ PRIVACY_CONTACT_EMAIL: 'RITA@acme.test', FEEDBACK_DIGEST_HOUR: '8', DEFAULT_LOCALE: 'en' });
  });
  afterAll(() => sut.close());

  it('sends the privacy contact a digest of overdue requests alone, leaving out closed and not yet due ones', async () => {
    sut.clock.set('2026-03-02T06:00:00Z');
    const person = await addCandidate(sut);
    const erasure = await privacyRequest({ kind: 'erasure', candidateId: person.id, receivedAt: '2026-01-20T10:00:00Z', notes: 'Secret note' });
    expect(erasure).toMatchObject({ overdue: true, dueOn: '2026-02-20' });
    const served = await privacyRequest({ kind: 'rectification', receivedAt: '2026-01-10T10:00:00Z' });
    await api().patch(`/api/v1/privacy-requests/${served.id}`).set(sut.admin).send({ status: 'done' }).expect(200);
    await privacyRequest({ kind: 'access', receivedAt: '2026-02-20T10:00:00Z' }); // due 20 March

    sut.clock.set('2026-03-02T07:05:00Z'); // Monday, 08:05 in Stockholm
    expect(await runDaily()).toEqual({ day: '2026-03-02', ran: true, digests: 1, items: 0, decisionsOverdue: 0, privacyRequests: 1 });

    const [digest, ...others] = await heldDigests(sut);
    expect(others).toEqual([]);
    expect(digest).toMatchObject({
      toAddress: 'RITA@acme.test',
      idempotencyKey: digestKey('2026-03-02', 'rita@acme.test'),
      subject: 'Data requests past their legal deadline',
    });
    expect(digest.textBody).toMatch(/^Hi data protection team,\n\nData requests past their legal deadline\n/);
    expect(digest.textBody).toContain('- Erasure – received Tuesday, 20 January 2026\n  Answer due Friday, 20 February 2026 · Days overdue: 10');
    expect(digest.textBody).not.toMatch(/waiting for feedback|Rectification|Access|Secret note/);
    expect(digest.htmlBody).toContain('<strong>Data requests past their legal deadline</strong>');
    expect(digest.htmlBody).toContain('<strong>Erasure</strong> – received Tuesday, 20 January 2026');
    expect(digest.htmlBody).not.toContain('waiting for feedback');
  });

  it('merges the requests into the digest of the same address when it also owes feedback, until they are done', async () => {
    await rejectedAfterScreening(sut, 'Privacy role', 'Omar Haddad');

    sut.clock.set('2026-03-09T07:05:00Z'); // the screening feedback is due today
    expect(await runDaily()).toEqual({ day: '2026-03-09', ran: true, digests: 1, items: 1, decisionsOverdue: 0, privacyRequests: 1 });
    const merged = (await heldDigests(sut)).filter((email) => email.idempotencyKey === digestKey('2026-03-09', 'rita@acme.test'));
    expect(merged).toHaveLength(1);
    expect(merged[0]).toMatchObject({ toAddress: recruiter.email, subject: 'Candidates waiting for feedback and overdue data requests' });
    const text = merged[0].textBody;
    expect(text).toMatch(/^Hi Rita Recruiter,\n\nThese candidates are waiting for feedback from you\./);
    expect(text).toContain('- Omar Haddad – Privacy role (Phone screen)\n  Feedback due Monday, 9 March 2026');
    expect(text).toContain('- Erasure – received Tuesday, 20 January 2026\n  Answer due Friday, 20 February 2026 · Days overdue: 17');
    expect(text.indexOf('Omar Haddad')).toBeLessThan(text.indexOf('Data requests past their legal deadline'));

    const [erasure] = (await api().get('/api/v1/privacy-requests?overdue=true').set(sut.admin).expect(200)).body.items;
    // Rejected, which closes it as done would (done needs the person erased).
    await api().patch(`/api/v1/privacy-requests/${erasure.id}`).set(sut.admin).send({ status: 'rejected' }).expect(200);
    sut.clock.set('2026-03-10T07:05:00Z');
    expect(await runDaily()).toEqual({ day: '2026-03-10', ran: true, digests: 1, items: 1, decisionsOverdue: 0, privacyRequests: 0 });
    const [feedbackOnly] = (await heldDigests(sut)).filter((email) => email.idempotencyKey === digestKey('2026-03-10', 'rita@acme.test'));
    expect(feedbackOnly.subject).toBe('Candidates waiting for feedback');
    expect(feedbackOnly.textBody).toContain('- Omar Haddad – Privacy role (Phone screen)');
    expect(feedbackOnly.textBody).not.toMatch(/Data requests|Erasure/);
  });

  it('reads right in Swedish with only data requests, and with both', async () => {
    const preview = async (data: Record<string, unknown>) =>
      (await api().post('/api/v1/templates/feedback_digest/preview').set(sut.admin).send({ locale: 'sv', data }).expect(200)).body;
    const alone = await preview({ recipient: { name: 'dataskyddsansvarig' }, items: [], decisionsOverdue: [] });
    expect(alone.subject).toBe('Försenade begäranden om personuppgifter');
    expect(alone.text).toMatch(/^Hej dataskyddsansvarig!\n\nBegäranden om personuppgifter som passerat den lagstadgade tidsfristen\n/);
    expect(alone.text).toContain('- Radering – inkom tisdag 20 januari 2026\n  Svar senast fredag 20 februari 2026 · Dagar över tiden: 10');
    expect(alone.text).not.toContain('väntar på återkoppling');
    const both = await preview({});
    expect(both.subject).toBe('Kandidater som väntar på återkoppling och försenade begäranden om personuppgifter');
    expect(both.text).toContain('De här kandidaterna väntar på återkoppling från dig.');
  });
});

describe(`${FeedbackDigestService.name} without PRIVACY_CONTACT_EMAIL`, () => {
  let sut: TestApp;
  beforeAll(async () => {
    sut = await startTestApp({ FEEDBACK_DIGEST_HOUR: '8' });
  });
  afterAll(() => sut.close());

  it('reminds nobody of overdue privacy requests', async () => {
    await sut.http().post('/api/v1/privacy-requests').set(sut.admin).send({ kind: 'access', receivedAt: '2026-01-05T10:00:00Z' }).expect(201);
    sut.clock.set('2026-03-02T07:05:00Z');
    expect(await sut.app.get(FeedbackDigestService).runDaily()).toEqual({ day: '2026-03-02', ran: true, digests: 0, items: 0, decisionsOverdue: 0, privacyRequests: 0 });
    expect(await heldDigests(sut)).toEqual([]);
  });
});

describe(`${FeedbackDigestService.name} and an erasure at the same moment`, () => {
  let sut: TestApp;
  beforeAll(async () => {
    sut = await startTestApp({ FEEDBACK_DIGEST_HOUR: '8', DEFAULT_LOCALE: 'en' });
  });
  afterAll(() => sut.close());

  it('never leaves the name of someone erased while the digest was being written', async () => {
    const api = () => sut.http();
    const person = await rejectedAfterScreening(sut, 'Racing role', 'Vera Vanishing');
    sut.clock.set('2026-03-09T07:05:00Z'); // the feedback is due today: the digest names her

    // The digest has read who is waiting and is about to queue its email when the erasure arrives.
    const [report, erased] = await interleave({
      target: sut.app.get(OutboxService), method: 'enqueueForStaff',
      first: () => sut.app.get(FeedbackDigestService).runDaily(),
      rival: async () => (await api().delete(`/api/v1/candidates/${person.id}`).set(sut.admin)).status,
      db: sut.app.get(DataSource),
    });
    expect(report).toMatchObject({ ran: true, items: 1 });
    expect(erased).toBe(204);
    const digests = await heldDigests(sut);
    expect(digests).toHaveLength(1);
    expect(`${digests[0].subject} ${digests[0].textBody} ${digests[0].htmlBody}`).not.toContain('Vera');
    expect(digests[0].textBody).toContain('[erased]');
  });
});
