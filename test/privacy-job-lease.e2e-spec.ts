import { DataSource } from 'typeorm';
import { DailyJobLease1764465200000 } from '../migrations/1764465200000-DailyJobLease';
import { DailyRunLease, DailyRunTakenOver } from '../src/common/scheduling/daily-job';
import { ConsentExpiry } from '../src/privacy/lifecycle/consent-expiry';
import { ConsentRenewals } from '../src/privacy/lifecycle/consent-renewals';
import { LifecycleErasures } from '../src/privacy/lifecycle/lifecycle-erasures';
import { PRIVACY_RUN_LEASE_MS, PrivacyJobService, PrivacyStepsFailed } from '../src/privacy/lifecycle/privacy-job.service';
import { addCandidate } from './support/pool';
import { startTestApp, TestApp } from './support/test-app';

const DAY = 86_400_000;
const MINUTE = 60_000;
/** 10:00 in Stockholm: after PRIVACY_JOB_HOUR. */
const T0 = Date.parse('2026-03-02T09:00:00Z');
const at = (ms: number) => new Date(T0 + ms);

describe(DailyRunLease.name, () => {
  let sut: TestApp;
  const take = (ms: number) => DailyRunLease.take(sut.app.get(DataSource).manager, 'privacy_daily', '2026-03-02', at(ms), 5 * MINUTE);

  beforeAll(async () => {
    sut = await startTestApp();
  });
  afterAll(() => sut.close());

  it('holds the day while renewed, lets another run take it once it ran out, and the report ends it', async () => {
    const first = await take(0);
    expect(first).toBeDefined();
    expect(await take(5 * MINUTE - 1)).toBeUndefined();
    await first!.renew(at(4 * MINUTE));
    expect(await take(6 * MINUTE)).toBeUndefined();

    const second = await take(9 * MINUTE);
    expect(second).toBeDefined();
    await expect(first!.renew(at(10 * MINUTE))).rejects.toThrow(DailyRunTakenOver);
    await expect(first!.finish({ by: 'first' })).rejects.toThrow(DailyRunTakenOver);
    await second!.finish({ by: 'second' });

    expect(await take(DAY / 2)).toBeUndefined();
    const rows = await sut.app.get(DataSource).query(`SELECT run_on::text, report FROM job_run WHERE job = 'privacy_daily'`);
    expect(rows).toEqual([{ run_on: '2026-03-02', report: { by: 'second' } }]);
  });

  it('frees a day claimed the old way by a run that never finished, once a lease would have run out', async () => {
    const dataSource = sut.app.get(DataSource);
    const runner = dataSource.createQueryRunner();
    const migration = new DailyJobLease1764465200000();
    try {
      await migration.down(runner);
      // As the code before the lease claimed a day: for good, before the work; the run then died.
      await dataSource.query(`INSERT INTO job_run (job, run_on, started_at) VALUES ('privacy_daily', '2026-03-03', $1)`, [at(DAY)]);
      await migration.up(runner);
    } finally {
      await runner.release();
    }
    const takeNextDay = (ms: number) => DailyRunLease.take(dataSource.manager, 'privacy_daily', '2026-03-03', at(DAY + ms), 5 * MINUTE);
    expect(await takeNextDay(MINUTE)).toBeUndefined();
    expect(await takeNextDay(5 * MINUTE)).toBeDefined();
  });
});

describe('Privacy: a daily run cut short', () => {
  let sut: TestApp;
  const api = () => sut.http();
  const runJob = () => sut.app.get(PrivacyJobService).runDaily();
  const takeDay = (day: string, now: Date) =>
    DailyRunLease.take(sut.app.get(DataSource).manager, 'privacy_daily', day, now, PRIVACY_RUN_LEASE_MS);
  const expiriesNoted = async (candidateId: string) =>
    (await api().get(`/api/v1/audit?candidateId=${candidateId}&action=consent_expired`).set(sut.admin).expect(200)).body.items.length;
  const pooled = async (days: number) => {
    const person = await addCandidate(sut);
    await api().post(`/api/v1/candidates/${person.id}/consents`).set(sut.admin).send({
      scope: 'talent_pool', textVersion: 'v1', source: 'application_form',
      expiresAt: new Date(sut.clock.now().getTime() + days * DAY).toISOString(),
    }).expect(201);
    return person;
  };

  beforeAll(async () => {
    sut = await startTestApp();
  });
  afterAll(() => sut.close());

  it('is run again the same day once its lease has run out, doing only what was left', async () => {
    sut.clock.set(at(-40 * DAY));
    const pastGrace = await pooled(1);
    sut.clock.set(at(-2 * DAY));
    const expired = await pooled(1);

    // The erasure step fails after the expiries were noted (a row it cannot handle, say): no report.
    sut.clock.set(at(0));
    jest.spyOn(sut.app.get(LifecycleErasures), 'afterConsentEnded').mockRejectedValueOnce(new Error('killed'));
    await expect(runJob()).rejects.toThrow(new PrivacyStepsFailed(['erasures after consent ended']));
    expect(await expiriesNoted(pastGrace.id)).toBe(1);
    expect(await expiriesNoted(expired.id)).toBe(1);
    await api().get(`/api/v1/candidates/${pastGrace.id}`).set(sut.admin).expect(200);

    // Its lease holds the day for a while: it might still be running.
    sut.clock.set(at(PRIVACY_RUN_LEASE_MS - MINUTE));
    expect(await runJob()).toMatchObject({ ran: false });

    sut.clock.set(at(PRIVACY_RUN_LEASE_MS + MINUTE));
    expect(await runJob()).toEqual({
      day: '2026-03-02', ran: true, renewalRequests: 0, consentsExpired: 0, nurtureCancelled: 0,
      erasedAfterConsentEnded: 1, keptInActiveProcess: 0, erasedAfterRetention: 0,
    });
    await api().get(`/api/v1/candidates/${pastGrace.id}`).set(sut.admin).expect(404);
    expect(await expiriesNoted(pastGrace.id)).toBe(1);
    expect(await expiriesNoted(expired.id)).toBe(1);

    sut.clock.set(at(3 * PRIVACY_RUN_LEASE_MS));
    expect(await runJob()).toMatchObject({ ran: false });
    const [{ report }] = await sut.app.get(DataSource).query(`SELECT report FROM job_run WHERE job = 'privacy_daily' AND run_on = '2026-03-02'`);
    expect(report).toMatchObject({ ran: true, erasedAfterConsentEnded: 1 });
  });

  it('runs the steps after one that failed, and that one again once its lease has run out', async () => {
    sut.clock.set(at(-25 * DAY));
    const pastGrace = await pooled(1);
    sut.clock.set(at(10 * DAY));
    const renewalDue = await pooled(5);
    const renewalRequests = async () => (await sut.app.get(DataSource).query(
      `SELECT count(*)::int AS n FROM consent_renewal_request r JOIN consent c ON c.id = r.consent_id WHERE c.candidate_id = $1`, [renewalDue.id]))[0].n;

    jest.spyOn(sut.app.get(ConsentRenewals), 'queueDue').mockRejectedValueOnce(new Error('a row it cannot handle'));
    await expect(runJob()).rejects.toThrow(new PrivacyStepsFailed(['renewal requests']));
    // The steps after it ran: the person whose grace period is over is erased all the same.
    await api().get(`/api/v1/candidates/${pastGrace.id}`).set(sut.admin).expect(404);
    expect(await renewalRequests()).toBe(0);

    sut.clock.set(at(10 * DAY + PRIVACY_RUN_LEASE_MS - MINUTE));
    expect(await runJob()).toMatchObject({ ran: false });
    sut.clock.set(at(10 * DAY + PRIVACY_RUN_LEASE_MS + MINUTE));
    expect(await runJob()).toMatchObject({ day: '2026-03-12', ran: true, renewalRequests: 1, erasedAfterConsentEnded: 0 });
    expect(await renewalRequests()).toBe(1);
  });

  it('keeps its day past the first lease while it renews it', async () => {
    sut.clock.set(at(DAY));
    const renewals = sut.app.get(ConsentRenewals);
    const queueDue = renewals.queueDue.bind(renewals);
    const expiry = sut.app.get(ConsentExpiry);
    const noteExpired = expiry.noteExpired.bind(expiry);
    // The first step takes longer than a lease; the renewal after its batch holds the day for another.
    jest.spyOn(renewals, 'queueDue').mockImplementationOnce(async (now, afterBatch) => {
      sut.clock.advance(PRIVACY_RUN_LEASE_MS + MINUTE);
      return queueDue(now, afterBatch);
    });
    jest.spyOn(expiry, 'noteExpired').mockImplementationOnce(async (now, afterBatch) => {
      expect(await takeDay('2026-03-03', at(DAY + PRIVACY_RUN_LEASE_MS + 3 * MINUTE))).toBeUndefined();
      return noteExpired(now, afterBatch);
    });
    expect(await runJob()).toMatchObject({ day: '2026-03-03', ran: true });
  });

  it('stops at its next batch once another run has taken its day', async () => {
    sut.clock.set(at(0));
    const expiring = await pooled(1);
    sut.clock.set(at(2 * DAY));
    const renewals = sut.app.get(ConsentRenewals);
    const queueDue = renewals.queueDue.bind(renewals);
    // Another instance takes the day over while this run is in its first step, as if its lease had run out.
    jest.spyOn(renewals, 'queueDue').mockImplementationOnce(async (now, afterBatch) => {
      expect(await takeDay('2026-03-04', at(2 * DAY + 2 * PRIVACY_RUN_LEASE_MS))).toBeDefined();
      return queueDue(now, afterBatch);
    });
    await expect(runJob()).rejects.toThrow(DailyRunTakenOver);
    // It went no further: the expiry is for the run that took the day.
    expect(await expiriesNoted(expiring.id)).toBe(0);
    const [{ report }] = await sut.app.get(DataSource).query(`SELECT report FROM job_run WHERE job = 'privacy_daily' AND run_on = '2026-03-04'`);
    expect(report).toBeNull();
  });
});
