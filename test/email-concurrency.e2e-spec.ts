import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { Client } from 'pg';
import { CHUNKS_IN_FLIGHT, DeliveryService, SEND_CHUNK } from '../src/email/delivery/delivery.service';
import { CandidateEmailRequest, OutboxService } from '../src/email/outbox.service';
import { addCandidate } from './support/pool';
import { SmtpSink } from './support/smtp-sink';
import { startTestApp, TEST_ADMIN_KEY, TestApp } from './support/test-app';
import { expectProblem } from './support/problem';

async function statusCounts(databaseUrl: string): Promise<Record<string, number>> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query(`SELECT status, count(*)::int AS n FROM email GROUP BY status`);
    return Object.fromEntries(rows.map((row) => [row.status, row.n]));
  } finally {
    await client.end();
  }
}

async function queueEmails(sut: TestApp, count: number): Promise<void> {
  const requests: CandidateEmailRequest[] = [];
  for (let i = 0; i < count; i++) {
    const candidate = await addCandidate(sut, { email: `load${i}-${Date.now()}@example.com` });
    requests.push({
      candidateId: candidate.id, templateKey: 'application_received', category: 'transactional',
      idempotencyKey: `load:${i}`, data: { vacancy: { title: 'Data Engineer' }, decisionDate: '2026-05-01', recruiter: { name: 'R' } },
    });
  }
  await sut.app.get(OutboxService).enqueueForCandidates(requests);
}

const SMTP_ENV = { SEND_WINDOW: 'always', EMAIL_RATE_PER_SECOND: '1000', EMAIL_TICK_MS: '100' };

describe('Exactly-once delivery with several instances', () => {
  const sink = new SmtpSink();
  const instances: TestApp[] = [];
  afterAll(async () => {
    for (const instance of instances) await instance.close();
    await sink.stop();
  });

  it('sends a row once when its lease ran out while its batch waited and another instance took it over', async () => {
    const slowSink = new SmtpSink();
    const smtpUrl = await slowSink.start();
    const a = await startTestApp({ SMTP_URL: smtpUrl, ...SMTP_ENV });
    instances.push(a);
    const b = await startTestApp({ SMTP_URL: smtpUrl, ...SMTP_ENV }, { databaseUrl: a.databaseUrl });
    instances.push(b);
    await queueEmails(a, 3);
    // The sender's loop, step by step: claim a batch ahead, then deliver it.
    type Internals = { claimAndScreen(): Promise<unknown>; deliverBatch(batch: unknown, report: object): Promise<void> };
    const delivery = (app: TestApp) => app.app.get(DeliveryService) as unknown as Internals & Pick<DeliveryService, 'recoverExpiredLeases'>;
    const report = () => ({ sent: 0, retried: 0, failed: 0, suppressed: 0, deferred: 0 });
    try {
      // A claims a batch ahead, but its current one is with a slow SMTP server past the lease...
      const aheadOfA = await delivery(a).claimAndScreen();
      for (const app of [a, b]) app.clock.advance(121_000);
      // ... so B finds the lease expired, queues the rows again and claims them itself.
      expect(await delivery(b).recoverExpiredLeases()).toEqual({ requeued: 3, uncertain: 0 });
      const claimedByB = await delivery(b).claimAndScreen();
      await Promise.all([delivery(a).deliverBatch(aheadOfA, report()), delivery(b).deliverBatch(claimedByB, report())]);
      expect(slowSink.received).toHaveLength(3);
      expect(new Set(slowSink.received.map((mail) => mail.messageId)).size).toBe(3);
      expect(await statusCounts(a.databaseUrl)).toEqual({ sent: 3 });
    } finally {
      await slowSink.stop();
    }
  });

  it('three instances on one database send every email exactly once', async () => {
    const smtpUrl = await sink.start();
    sink.delayMs = 5;
    const seed = await startTestApp({ SMTP_URL: smtpUrl, ...SMTP_ENV });
    instances.push(seed);
    await queueEmails(seed, 150);
    for (let i = 0; i < 3; i++) {
      instances.push(await startTestApp({ SMTP_URL: smtpUrl, ...SMTP_ENV, SCHEDULER_ENABLED: 'true' }, { databaseUrl: seed.databaseUrl, realClock: true }));
    }
    await sink.waitFor(150, 30_000);
    await new Promise((done) => setTimeout(done, 500));
    expect(sink.received).toHaveLength(150);
    expect(new Set(sink.received.map((mail) => mail.messageId)).size).toBe(150);
    expect(await statusCounts(seed.databaseUrl)).toEqual({ sent: 150 });
  });
});

describe('A worker killed mid-batch', () => {
  const sink = new SmtpSink();
  let sut: TestApp;
  let worker: ChildProcess | undefined;
  afterAll(async () => {
    worker?.kill('SIGKILL');
    await sut?.close();
    await sink.stop();
  });

  it('loses nothing and doubles nothing: unsent rows are queued again, in-flight ones are listed as uncertain', async () => {
    const smtpUrl = await sink.start();
    sink.holdAfter = 7;
    sut = await startTestApp({ SMTP_URL: smtpUrl, ...SMTP_ENV });
    await queueEmails(sut, 60);

    worker = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', join(__dirname, 'support', 'worker-process.ts')], {
      env: {
        ...process.env, ...SMTP_ENV, DATABASE_URL: sut.databaseUrl, SMTP_URL: smtpUrl, SCHEDULER_ENABLED: 'true',
        ADMIN_API_KEY: TEST_ADMIN_KEY, LOG_LEVEL: 'silent', PORT: '0',
      },
      stdio: 'ignore',
    });
    await sink.waitFor(7, 60_000);
    while (sink.held === 0) await new Promise((done) => setTimeout(done, 20));
    await new Promise((done) => setTimeout(done, 300)); // the rest of the chunk reaches the server
    worker.kill('SIGKILL');
    await new Promise((done) => worker!.once('exit', done));
    const inFlight = sink.held;
    // The server goes on to accept what it had received: the classic "accepted, but the sender never recorded it".
    sink.release();
    await sink.waitFor(7 + inFlight);

    const atKill = await statusCounts(sut.databaseUrl);
    expect(atKill.sending).toBeGreaterThan(inFlight);

    // Time passes beyond the lease; another instance recovers and finishes the work.
    const delivery = sut.app.get(DeliveryService);
    sut.clock.set(new Date(Date.now() + 10 * 60_000));
    const recovered = await delivery.recoverExpiredLeases();
    // The chunks handed to SMTP are uncertain: some of it was accepted, some held, some never left the client.
    expect(recovered.uncertain).toBeGreaterThanOrEqual(inFlight);
    expect(recovered.uncertain).toBeLessThanOrEqual(SEND_CHUNK * CHUNKS_IN_FLIGHT);
    expect(recovered.requeued + recovered.uncertain + (atKill.sent ?? 0) + (atKill.queued ?? 0)).toBe(60);
    while ((await delivery.deliverDue()).sent > 0) { /* drain */ }

    expect(await statusCounts(sut.databaseUrl)).toEqual({ sent: 60 - recovered.uncertain, uncertain: recovered.uncertain });
    const received = sink.received.map((mail) => mail.messageId);
    expect(new Set(received).size).toBe(received.length); // nothing doubled
    const listed = await sut.http().get('/api/v1/emails?status=uncertain&limit=100').set(sut.admin).expect(200);
    expect(listed.body.items).toHaveLength(recovered.uncertain);
    expect(listed.body.items[0].lastError).toMatch(/may or may not have been delivered/);
    // Nothing lost: every email was either received once and recorded as sent, or is listed for review.
    const uncertainIds = new Set(listed.body.items.map((email: { messageId: string }) => email.messageId));
    const notReviewed = received.filter((id) => !uncertainIds.has(id));
    expect(notReviewed).toHaveLength(60 - recovered.uncertain);

    // A person settles each one from the mail server's log: what it accepted was delivered, the rest is sent again.
    const resolve = (id: string, body: Record<string, unknown>, key: Record<string, string> = sut.admin) =>
      sut.http().post(`/api/v1/emails/${id}/resolution`).set(key).send(body);
    const uncertain = listed.body.items as { id: string; messageId: string }[];
    expectProblem(await resolve(uncertain[0].id, { outcome: 'delivered' }, await sut.keyFor('recruiter')), 403);
    expectProblem(await resolve(uncertain[0].id, { outcome: 'maybe' }), 400, ['outcome']);
    expectProblem(await resolve('00000000-0000-4000-8000-000000000000', { outcome: 'resend' }), 404);
    const accepted = new Set(received);
    for (const email of uncertain) {
      const outcome = accepted.has(email.messageId) ? 'delivered' : 'resend';
      expect((await resolve(email.id, { outcome }).expect(200)).body).toMatchObject({ id: email.id, status: outcome === 'delivered' ? 'sent' : 'queued' });
    }
    expect(expectProblem(await resolve(uncertain[0].id, { outcome: 'resend' }), 409).detail).toMatch(/this one is (sent|queued)/);
    // The answer shows the email to the person as GET does, and is audited as reading their data.
    const { candidateId } = (await sut.http().get(`/api/v1/emails/${uncertain[0].id}`).set(sut.admin).expect(200)).body;
    const audited = (await sut.http().get(`/api/v1/audit?candidateId=${candidateId}&action=candidate_read&limit=100`).set(sut.admin).expect(200)).body.items;
    expect(audited).toEqual(expect.arrayContaining([expect.objectContaining({ details: expect.objectContaining({ emailId: uncertain[0].id, resolution: expect.any(String) }) })]));
    while ((await delivery.deliverDue()).sent > 0) { /* drain */ }
    expect(await statusCounts(sut.databaseUrl)).toEqual({ sent: 60 });
    // Every email reached the server exactly once.
    expect(sink.received).toHaveLength(60);
    expect(new Set(sink.received.map((mail) => mail.messageId)).size).toBe(60);
  });
});
