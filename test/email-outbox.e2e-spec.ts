import { AddressInfo, createServer, Server } from 'node:net';
import { DataSource } from 'typeorm';
import { DeliveryService } from '../src/email/delivery/delivery.service';
import { SuppressionService } from '../src/email/suppression.service';
import { CandidateEmailRequest, OutboxService } from '../src/email/outbox.service';
import { addCandidate } from './support/pool';
import { expectProblem } from './support/problem';
import { SmtpSink } from './support/smtp-sink';
import { startTestApp, TestApp } from './support/test-app';
import { ACME_MAIL_ENV } from './support/mail-env';

const applicationData = {
  vacancy: { title: 'Platform Engineer' },
  decisionDate: '2026-04-15',
  recruiter: { name: 'Rita Recruiter' },
};

describe('Email outbox and delivery', () => {
  const sink = new SmtpSink();
  let sut: TestApp;
  let smtpUrl: string;
  const outbox = () => sut.app.get(OutboxService);
  const deliver = () => sut.app.get(DeliveryService).deliverDue();
  const email = async (id: string) => (await sut.http().get(`/api/v1/emails/${id}`).set(sut.admin).expect(200)).body;
  const enqueue = async (request: Partial<CandidateEmailRequest> & { candidateId: string }) =>
    (await outbox().enqueueForCandidates([{
      templateKey: 'application_received', category: 'transactional', idempotencyKey: `k-${Math.random()}`,
      data: applicationData, ...request,
    } as CandidateEmailRequest]))[0];

  beforeAll(async () => {
    smtpUrl = await sink.start();
    sut = await startTestApp({ SMTP_URL: smtpUrl, ...ACME_MAIL_ENV });
  });
  afterAll(async () => {
    await sut.close();
    await sink.stop();
  });

  it('stores the rendered email, sends it once with its Message-ID, and lists it', async () => {
    const candidate = await addCandidate(sut, { fullName: 'Sara Svensson', locale: 'sv' });
    const queued = await enqueue({ candidateId: candidate.id, idempotencyKey: 'apply:1' });
    expect(queued.status).toBe('queued');
    const again = await enqueue({ candidateId: candidate.id, idempotencyKey: 'apply:1' });
    expect(again.id).toBe(queued.id);

    const stored = await email(queued.id);
    expect(stored).toMatchObject({ templateKey: 'application_received', locale: 'sv', status: 'queued', attempts: 0 });
    expect(stored.textBody).toContain('Platform Engineer');

    expect(await deliver()).toMatchObject({ sent: 1 });
    const mails = sink.to(candidate.email);
    expect(mails).toHaveLength(1);
    expect(mails[0].messageId).toBe(stored.messageId);
    expect(mails[0].subject).toBe(stored.subject);
    expect(mails[0].header('list-unsubscribe')).toBeUndefined();
    // The email asks them to reply ("Svara bara på det här mejlet"): the reply reaches people who read it, not the no-reply sender.
    expect(JSON.stringify(mails[0].header('reply-to'))).toContain('recruiting@acme.test');

    const sent = await email(queued.id);
    expect(sent).toMatchObject({ status: 'sent', attempts: 1, lastError: null });
    expect(await deliver()).toMatchObject({ sent: 0 });
    expect(sink.to(candidate.email)).toHaveLength(1);

    const listed = await sut.http().get(`/api/v1/emails?candidateId=${candidate.id}&status=sent`).set(sut.admin).expect(200);
    expect(listed.body.items.map((e: { id: string }) => e.id)).toEqual([queued.id]);
    expect(listed.body.items[0]).not.toHaveProperty('htmlBody');
    expectProblem(await sut.http().get('/api/v1/emails?status=lost').set(sut.admin), 400, ['status']);
    expectProblem(await sut.http().get('/api/v1/emails/00000000-0000-4000-8000-000000000000').set(sut.admin), 404);
  });

  it('retries a 4xx reply with backoff and sends on a later attempt', async () => {
    const candidate = await addCandidate(sut);
    sink.script.set(candidate.email.toLowerCase(), [{ code: 451, message: 'Try again later' }]);
    const queued = await enqueue({ candidateId: candidate.id });
    await deliver();
    const retrying = await email(queued.id);
    expect(retrying).toMatchObject({ status: 'queued', attempts: 1 });
    expect(retrying.lastError).toContain('451');
    expect(new Date(retrying.nextAttemptAt).getTime()).toBeGreaterThan(sut.clock.now().getTime());

    await deliver();
    expect(sink.to(candidate.email)).toHaveLength(0);
    sut.clock.advance(31_000);
    await deliver();
    expect(await email(queued.id)).toMatchObject({ status: 'sent', attempts: 2 });
    expect(sink.to(candidate.email)).toHaveLength(1);
  });

  it('retries when the SMTP server cannot be reached', async () => {
    const candidate = await addCandidate(sut);
    const queued = await enqueue({ candidateId: candidate.id });
    await sink.stop();
    try {
      await deliver();
    } finally {
      await sink.start(sink.port);
    }
    const retrying = await email(queued.id);
    expect(retrying.status).toBe('queued');
    // A pooled connection may be told 421 as the server shuts down, a new one is refused: both are retried.
    expect(retrying.lastError).toMatch(/ECONNREFUSED|ECONNECTION|ESOCKET|421/);
    sut.clock.advance(31_000);
    await deliver();
    expect(sink.to(candidate.email)).toHaveLength(1);
  });

  it('fails a 5xx refusing the recipient at once and suppresses the address for every later email', async () => {
    const candidate = await addCandidate(sut);
    sink.script.set(candidate.email.toLowerCase(), [{ code: 550, message: '5.1.1 No such user', at: 'rcpt' }]);
    const queued = await enqueue({ candidateId: candidate.id });
    await deliver();
    const failed = await email(queued.id);
    expect(failed).toMatchObject({ status: 'failed', attempts: 1 });
    expect(failed.lastError).toContain('550');

    const next = await enqueue({ candidateId: candidate.id });
    expect(next.status).toBe('suppressed');
    expect((await email(next.id)).lastError).toBe('address suppressed (hard_bounce)');
    sut.clock.advance(60_000);
    await deliver();
    expect(sink.to(candidate.email)).toHaveLength(0);
  });

  it('fails a message refused for its content without suppressing the address', async () => {
    const candidate = await addCandidate(sut);
    sink.script.set(candidate.email.toLowerCase(), [{ code: 554, message: '5.6.0 Message content rejected' }]);
    const refused = await enqueue({ candidateId: candidate.id });
    await deliver();
    expect(await email(refused.id)).toMatchObject({ status: 'failed', attempts: 1, lastError: expect.stringContaining('554') });
    // The address is fine: the next email goes out.
    const next = await enqueue({ candidateId: candidate.id });
    expect(next.status).toBe('queued');
    await deliver();
    expect(await email(next.id)).toMatchObject({ status: 'sent' });
  });

  it('retries, and suppresses nobody, while the server refuses our sender (530 to MAIL FROM: our set-up)', async () => {
    const candidate = await addCandidate(sut);
    const queued = await enqueue({ candidateId: candidate.id });
    sink.mailFromReply = { code: 530, message: '5.7.0 Authentication required' };
    try {
      await deliver();
    } finally {
      sink.mailFromReply = undefined;
    }
    expect(await email(queued.id)).toMatchObject({ status: 'queued', attempts: 1, lastError: expect.stringContaining('530') });
    sut.clock.advance(31_000);
    await deliver();
    expect(await email(queued.id)).toMatchObject({ status: 'sent', attempts: 2 });
    expect(sink.to(candidate.email)).toHaveLength(1);
  });

  it('checks the suppression list at sending by the canonical address, as it was keyed', async () => {
    const candidate = await addCandidate(sut);
    const queued = await enqueue({ candidateId: candidate.id });
    // Queued before addresses had one canonical form: the stored address carries a zero-width space.
    await sut.app.get(DataSource).query(`UPDATE email SET to_address = $2 WHERE id = $1`, [queued.id, `\u200b${candidate.email}`]);
    await sut.app.get(SuppressionService).suppress(candidate.email, 'hard_bounce');
    await deliver();
    expect(await email(queued.id)).toMatchObject({ status: 'suppressed', lastError: 'address suppressed (hard_bounce)' });
    expect(sink.to(candidate.email)).toHaveLength(0);
  });

  it('gates nurture on consent when queuing and again when sending', async () => {
    const withoutConsent = await addCandidate(sut);
    const refused = await enqueue({ candidateId: withoutConsent.id, templateKey: 'nurture_checkin', category: 'nurture', data: {} });
    expect(refused.status).toBe('suppressed');
    expect((await email(refused.id)).lastError).toBe('talent-pool consent is none');

    const consenting = await addCandidate(sut, {}, { consent: true });
    const queued = await enqueue({ candidateId: consenting.id, templateKey: 'nurture_checkin', category: 'nurture', data: {} });
    expect(queued.status).toBe('queued');
    // The consent runs out before the email goes (a withdrawal cancels waiting nurture at once; an expiry is
    // caught by the daily job, or here, by the check at sending).
    const start = sut.clock.now();
    sut.clock.advance(400 * 86_400_000);
    await deliver();
    expect(await email(queued.id)).toMatchObject({ status: 'suppressed', lastError: 'talent-pool consent is expired' });
    expect(sink.to(consenting.email)).toHaveLength(0);
    sut.clock.set(start);
  });
});

describe('The send rate', () => {
  const sink = new SmtpSink();
  let first: TestApp;
  let second: TestApp;
  afterAll(async () => {
    await second?.close();
    await first?.close();
    await sink.stop();
  });

  it('holds EMAIL_RATE_PER_SECOND across instances: a second of budget is shared, the next second brings more', async () => {
    const env = { SMTP_URL: await sink.start(), SEND_WINDOW: 'always', EMAIL_RATE_PER_SECOND: '3' };
    first = await startTestApp(env);
    second = await startTestApp(env, { databaseUrl: first.databaseUrl });
    second.clock.set(first.clock.now());
    const people = await Promise.all(Array.from({ length: 8 }, () => addCandidate(first)));
    await first.app.get(OutboxService).enqueueForCandidates(people.map((person, index) => ({
      candidateId: person.id, templateKey: 'application_received', category: 'transactional',
      idempotencyKey: `rate:${index}`, data: applicationData,
    } as CandidateEmailRequest)));
    const deliver = (app: TestApp) => app.app.get(DeliveryService).deliverDue();

    const [a, b] = await Promise.all([deliver(first), deliver(second)]);
    expect(a.sent + b.sent).toBe(3);
    expect((await deliver(second)).sent).toBe(0);
    for (const app of [first, second]) app.clock.advance(1000);
    expect((await deliver(second)).sent + (await deliver(first)).sent).toBe(3);
    for (const app of [first, second]) app.clock.advance(1000);
    expect((await deliver(first)).sent).toBe(2);
    expect(sink.received).toHaveLength(8);
  });
});

describe('Emails without SMTP_URL', () => {
  let sut: TestApp;
  beforeAll(async () => {
    sut = await startTestApp();
  });
  afterAll(() => sut.close());

  it('keeps them in the outbox as held, readable through the API', async () => {
    const candidate = await addCandidate(sut, { fullName: 'Held Person' });
    const [held] = await sut.app.get(OutboxService).enqueueForCandidates([
      { candidateId: candidate.id, templateKey: 'application_received', category: 'transactional', idempotencyKey: 'held:1', data: applicationData },
    ]);
    expect(held.status).toBe('held');
    expect(await sut.app.get(DeliveryService).deliverDue()).toMatchObject({ sent: 0 });
    const shown = await sut.http().get(`/api/v1/emails/${held.id}`).set(sut.admin).expect(200);
    expect(shown.body).toMatchObject({ status: 'held', toAddress: candidate.email });
    expect(shown.body.htmlBody).toContain('Held');
  });
});

describe('Emails to a server that closes every connection at once', () => {
  let sut: TestApp;
  let server: Server;
  let connections = 0;
  beforeAll(async () => {
    server = createServer((socket) => {
      connections += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    sut = await startTestApp({ SMTP_URL: `smtp://127.0.0.1:${(server.address() as AddressInfo).port}`, ...ACME_MAIL_ENV });
  });
  afterAll(async () => {
    await sut.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('ends the round with the email queued for a retry, saying why, instead of reconnecting for ever', async () => {
    const candidate = await addCandidate(sut);
    const [queued] = await sut.app.get(OutboxService).enqueueForCandidates([
      { candidateId: candidate.id, templateKey: 'application_received', category: 'transactional', idempotencyKey: 'closed:1', data: applicationData },
    ]);
    expect(await sut.app.get(DeliveryService).deliverDue()).toMatchObject({ sent: 0 });
    const shown = (await sut.http().get(`/api/v1/emails/${queued.id}`).set(sut.admin).expect(200)).body;
    expect(shown).toMatchObject({ status: 'queued', attempts: 1, lastError: expect.stringMatching(/ECONNECTION|ESOCKET|closed/i) });
    expect(connections).toBeLessThanOrEqual(3);
  });
});
