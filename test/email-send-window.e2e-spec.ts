import { DeliveryService } from '../src/email/delivery/delivery.service';
import { OutboxService } from '../src/email/outbox.service';
import { addCandidate } from './support/pool';
import { SmtpSink } from './support/smtp-sink';
import { startTestApp, TestApp } from './support/test-app';

describe('Nurture send window', () => {
  const sink = new SmtpSink();
  let sut: TestApp;
  beforeAll(async () => {
    sut = await startTestApp({ SMTP_URL: await sink.start(), SEND_WINDOW: 'Mon-Fri 09:00-17:00' });
  });
  afterAll(async () => {
    await sut.close();
    await sink.stop();
  });

  const enqueueNurture = async (candidateId: string, key: string) =>
    (await sut.app.get(OutboxService).enqueueForCandidates([
      { candidateId, templateKey: 'nurture_checkin', category: 'nurture', idempotencyKey: key, data: {} },
    ]))[0];
  const nextAttempt = async (id: string) =>
    (await sut.http().get(`/api/v1/emails/${id}`).set(sut.admin).expect(200)).body.nextAttemptAt;

  it('holds Friday-evening nurture until Monday 09:00 local time across the spring DST change', async () => {
    sut.clock.set('2026-03-27T16:30:00Z'); // Fri 17:30 in Stockholm (CET)
    const stockholm = await addCandidate(sut, { timeZone: 'Europe/Stockholm' }, { consent: true });
    const newYork = await addCandidate(sut, { timeZone: 'America/New_York' }, { consent: true });
    const inStockholm = await enqueueNurture(stockholm.id, 'dst:sthlm');
    const inNewYork = await enqueueNurture(newYork.id, 'dst:nyc');
    expect(await nextAttempt(inStockholm.id)).toBe('2026-03-30T07:00:00.000Z'); // Mon 09:00 CEST
    expect(await nextAttempt(inNewYork.id)).toBe('2026-03-27T16:30:00.000Z'); // Fri 12:30 in New York: inside

    await sut.app.get(DeliveryService).deliverDue();
    expect(sink.to(newYork.email)).toHaveLength(1);
    expect(sink.to(stockholm.email)).toHaveLength(0);

    sut.clock.set('2026-03-30T06:59:00Z');
    await sut.app.get(DeliveryService).deliverDue();
    expect(sink.to(stockholm.email)).toHaveLength(0);

    sut.clock.set('2026-03-30T07:00:00Z');
    await sut.app.get(DeliveryService).deliverDue();
    expect(sink.to(stockholm.email)).toHaveLength(1);
  });

  it('re-checks the window at send time: a retry that falls outside waits for the next opening', async () => {
    sut.clock.set('2026-10-23T14:59:30Z'); // Fri 16:59:30 CEST, inside
    const candidate = await addCandidate(sut, { timeZone: 'Europe/Stockholm' }, { consent: true });
    sink.script.set(candidate.email.toLowerCase(), [{ code: 421, message: 'Busy' }]);
    const queued = await enqueueNurture(candidate.id, 'dst:autumn');
    await sut.app.get(DeliveryService).deliverDue();
    sut.clock.set('2026-10-23T15:30:00Z'); // Fri 17:30: the retry is due but the window is closed
    await sut.app.get(DeliveryService).deliverDue();
    const waiting = await sut.http().get(`/api/v1/emails/${queued.id}`).set(sut.admin).expect(200);
    expect(waiting.body).toMatchObject({ status: 'queued', attempts: 1, nextAttemptAt: '2026-10-26T08:00:00.000Z' }); // Mon 09:00 CET
    sut.clock.set('2026-10-26T08:00:00Z');
    await sut.app.get(DeliveryService).deliverDue();
    expect(sink.to(candidate.email)).toHaveLength(1);
  });
});
