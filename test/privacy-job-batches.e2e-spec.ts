import { DataSource } from 'typeorm';
import { AuditLog } from '../src/privacy/audit/audit-log.service';
import { ConsentExpiry } from '../src/privacy/lifecycle/consent-expiry';
import { ConsentRenewals } from '../src/privacy/lifecycle/consent-renewals';
import { LifecycleErasures } from '../src/privacy/lifecycle/lifecycle-erasures';
import { PrivacyJobService } from '../src/privacy/lifecycle/privacy-job.service';
import { interleave } from './support/interleave';
import { startTestApp, TestApp } from './support/test-app';

const DAY = 86_400_000;
/** 10:00 in Stockholm: after PRIVACY_JOB_HOUR. */
const T0 = new Date('2026-03-02T09:00:00Z');

/**
 * The people, made set-based, many batches' worth. The job walks each
 * order in windows of 500 after the last (time, id) read, so the fixture
 * puts runs of people who share one instant (to the microsecond, which a
 * JavaScript Date cannot hold) across every window boundary, one of them
 * longer than a window. Positions below are in the order the job reads.
 * - ended: 520 whose consent expired 60 days ago (past the grace period):
 *   noted and erased, but #10 is in a recruitment and kept. #461-#520 share
 *   an instant, across the boundary at 500 (expiry and erasure walks).
 * - expired: 1,200 whose consent expired in the last 20 days: noted.
 *   #401-#520 share an instant (expiry walk positions ~942-1,061), and
 *   #601-#1,200 share another: 600 rows, longer than a window, across
 *   1,500.
 * - withdrew: 60 who withdrew in the last 20 days, among the expired in
 *   that order: read by the expiry walk, never noted.
 * - renewing: 1,150 whose consent ends in 2-25 days. #1-#575 in 2-6 days
 *   get the 7-day reminder, #451-#550 sharing an instant across 500;
 *   #576-#1,150 all end at one instant in 20 days (a bare-date expiry),
 *   across 1,000, and get the 30-day one. Every 10th is archived and
 *   every 10th+5 unsubscribed (never asked); every 7th had the 30-day
 *   reminder already (asked again only if the 7-day one is due now).
 * - applicants: 520 who never joined the pool, added three years ago:
 *   erased for retention, but #3 applied again ten days ago and is kept.
 *   #461-#520 were added at one instant (an import batch), across 500.
 */
const FIXTURE = `
  WITH people (tag, n, expires_at, withdrawn_at, created_at, status, unsubscribed) AS (
    SELECT 'ended', i, CASE WHEN i > 460 THEN $1::timestamptz - interval '60 days' + interval '27660.000321 seconds'
                            ELSE $1::timestamptz - interval '60 days' + i * interval '1 minute' END,
           NULL::timestamptz, $1::timestamptz - interval '2 years', 'active', false
    FROM generate_series(1, 520) AS i
    UNION ALL
    SELECT 'expired', i, CASE WHEN i BETWEEN 401 AND 520 THEN $1::timestamptz - interval '20 days' + interval '8020.123456 seconds'
                              WHEN i > 600 THEN $1::timestamptz - interval '20 days' + interval '12020.654321 seconds'
                              ELSE $1::timestamptz - interval '20 days' + i * interval '20.000001 seconds' END,
           NULL, $1::timestamptz - interval '2 years', 'active', false
    FROM generate_series(1, 1200) AS i
    UNION ALL
    SELECT 'withdrew', i, $1::timestamptz + interval '200 days',
           $1::timestamptz - interval '20 days' + i * interval '380 seconds' + interval '0.000007 seconds',
           $1::timestamptz - interval '2 years', 'active', false
    FROM generate_series(1, 60) AS i
    UNION ALL
    SELECT 'renewing', i, CASE WHEN i BETWEEN 451 AND 550 THEN $1::timestamptz + interval '2 days' + interval '270600.123456 seconds'
                               WHEN i > 575 THEN $1::timestamptz + interval '20 days 0.654321 seconds'
                               ELSE $1::timestamptz + interval '2 days' + i * interval '10 minutes' END,
           NULL, $1::timestamptz - interval '1 year', CASE WHEN i % 10 = 0 THEN 'archived' ELSE 'active' END, i % 10 = 5
    FROM generate_series(1, 1150) AS i
    UNION ALL
    SELECT 'applicant', i, NULL, NULL,
           CASE WHEN i > 460 THEN $1::timestamptz - interval '3 years' + interval '461.000123 seconds'
                ELSE $1::timestamptz - interval '3 years' + i * interval '1 second' END,
           'active', false
    FROM generate_series(1, 520) AS i
  ), inserted AS (
    INSERT INTO candidate (full_name, email, time_zone, locale, status, unsubscribed_at,
                           consent_expires_at, consent_withdrawn_at, created_at, updated_at)
    SELECT 'Batch ' || tag || ' ' || n, tag || n || '@batch.example', 'Europe/Stockholm', 'en', status,
           CASE WHEN unsubscribed THEN created_at END, expires_at, withdrawn_at, created_at, created_at
    FROM people
    RETURNING id, email, consent_expires_at, consent_withdrawn_at, created_at
  )
  INSERT INTO consent (candidate_id, scope, text_version, source, granted_at, expires_at, withdrawn_at, created_at)
  SELECT id, 'talent_pool', 'v1', 'application_form', created_at, consent_expires_at, consent_withdrawn_at, created_at
  FROM inserted WHERE consent_expires_at IS NOT NULL`;

const isRenewing = (n: number) => n % 10 !== 0 && n % 10 !== 5;
const hadFirstReminder = (n: number) => n % 7 === 0;

describe('Privacy: the daily job over many batches', () => {
  let sut: TestApp;
  const sql = (text: string, params: unknown[] = []) => sut.app.get(DataSource).query(text, params);
  const emailOf = (tag: string, n: number) => `${tag}${n}@batch.example`;
  const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

  beforeAll(async () => {
    sut = await startTestApp({ COMPANY_NAME: 'Acme', PUBLIC_BASE_URL: 'https://talent.acme.test' });
    sut.clock.set(T0);
    await sql(FIXTURE, [T0]);
    await sql(
      `INSERT INTO consent_renewal_request (consent_id, offset_days, requested_at)
       SELECT s.id, 30, $2 FROM consent s JOIN candidate c ON c.id = s.candidate_id WHERE c.email = ANY($1::text[])`,
      [range(1, 1150).filter(hadFirstReminder).map((n) => emailOf('renewing', n)), new Date(T0.getTime() - 20 * DAY)],
    );
    const [vacancy] = await sql(
      `INSERT INTO vacancy (title, hiring_manager_name, hiring_manager_email, status, expected_decision_date, opened_at, created_at, updated_at)
       VALUES ('Platform Engineer', 'Hanna Manager', 'hanna@acme.test', 'open', '2026-12-15', $1, $1, $1) RETURNING id`,
      [T0],
    );
    await sql(
      `INSERT INTO candidacy (candidate_id, vacancy_id, stage, created_at, updated_at)
       SELECT id, $2, 'interview', $3, $3 FROM candidate WHERE email = $1`,
      [emailOf('ended', 10), vacancy.id, T0],
    );
    await sql(
      `INSERT INTO candidacy (candidate_id, vacancy_id, stage, outcome, decided_at, decision_source, created_at, updated_at)
       SELECT id, $2, 'screening', 'rejected', $3, 'recruiter', $3, $3 FROM candidate WHERE email = $1`,
      [emailOf('applicant', 3), vacancy.id, new Date(T0.getTime() - 10 * DAY)],
    );
  });
  afterAll(() => sut.close());

  it('notes every expiry once, asks for each renewal once, erases as before, and has nothing left to do', async () => {
    expect(await sut.app.get(PrivacyJobService).runDaily()).toEqual({
      day: '2026-03-02',
      ran: true,
      renewalRequests: range(1, 1150).filter((n) => isRenewing(n) && !(n > 575 && hadFirstReminder(n))).length,
      consentsExpired: 520 + 1200,
      nurtureCancelled: 0,
      erasedAfterConsentEnded: 519,
      keptInActiveProcess: 1,
      erasedAfterRetention: 519,
    });

    // Each expired consent has one entry, naming the person's latest consent; nobody else has one.
    const noted: { email: string | null; entries: number; latest: boolean }[] = await sql(
      `SELECT c.email, count(*)::int AS entries,
              bool_and(a.details->>'consentId' = (SELECT s.id::text FROM consent s WHERE s.candidate_id = a.candidate_id)) AS latest
       FROM audit_log a LEFT JOIN candidate c ON c.id = a.candidate_id
       WHERE a.action = 'consent_expired' GROUP BY a.candidate_id, c.email`,
    );
    expect(noted).toHaveLength(520 + 1200);
    expect(noted.filter((row) => row.entries !== 1)).toEqual([]);
    // The ended were erased after being noted (the entries stay); the expired are still here.
    expect(noted.filter((row) => row.email === null)).toHaveLength(519);
    expect(noted.filter((row) => row.email !== null).map((row) => row.email).sort())
      .toEqual([emailOf('ended', 10), ...range(1, 1200).map((n) => emailOf('expired', n))].sort());
    expect(noted.filter((row) => row.email !== null && !row.latest)).toEqual([]);

    // One request and one email per renewing consent: the latest reminder due, and none asked twice.
    const requested: { email: string; offset_days: number }[] = await sql(
      `SELECT c.email, r.offset_days FROM consent_renewal_request r
       JOIN consent s ON s.id = r.consent_id JOIN candidate c ON c.id = s.candidate_id
       WHERE r.requested_at = $1 ORDER BY c.email`,
      [T0],
    );
    const expected = range(1, 1150)
      .filter((n) => isRenewing(n) && !(n > 575 && hadFirstReminder(n)))
      .map((n) => ({ email: emailOf('renewing', n), offset_days: n <= 575 ? 7 : 30 }))
      .sort((a, b) => (a.email < b.email ? -1 : 1));
    expect(requested).toEqual(expected);
    const emails: { email: string; sent: number }[] = await sql(
      `SELECT c.email, count(*)::int AS sent FROM email e JOIN candidate c ON c.id = e.candidate_id
       WHERE e.template_key = 'consent_renewal' GROUP BY c.email ORDER BY c.email`,
    );
    expect(emails).toEqual(expected.map(({ email }) => ({ email, sent: 1 })));

    // Erased: every ended and every applicant but the two kept; the rest are untouched.
    const left: { tag: string; people: number }[] = await sql(
      `SELECT regexp_replace(email, '[0-9]+@.*', '') AS tag, count(*)::int AS people FROM candidate GROUP BY 1 ORDER BY 1`,
    );
    expect(left).toEqual([
      { tag: 'applicant', people: 1 }, { tag: 'ended', people: 1 }, { tag: 'expired', people: 1200 },
      { tag: 'renewing', people: 1150 }, { tag: 'withdrew', people: 60 },
    ]);
    const kept = await sql(`SELECT email FROM candidate WHERE email ~ '^(ended|applicant)' ORDER BY email`);
    expect(kept).toEqual([{ email: emailOf('applicant', 3) }, { email: emailOf('ended', 10) }]);

    // The same day again: the day is done. Each step again at the same time: nothing left to do.
    expect(await sut.app.get(PrivacyJobService).runDaily()).toMatchObject({ ran: false });
    expect(await sut.app.get(ConsentRenewals).queueDue(T0)).toBe(0);
    expect(await sut.app.get(ConsentExpiry).noteExpired(T0)).toEqual({ expired: 0, nurtureCancelled: 0 });
    expect(await sut.app.get(LifecycleErasures).afterConsentEnded(T0)).toEqual({ erased: 0, keptInActiveProcess: 1 });
    expect(await sut.app.get(LifecycleErasures).afterRetention(T0)).toBe(0);

    // The next day nobody crosses a reminder, an expiry or the end of a grace period.
    sut.clock.set(new Date(T0.getTime() + DAY));
    expect(await sut.app.get(PrivacyJobService).runDaily()).toEqual({
      day: '2026-03-03', ran: true, renewalRequests: 0, consentsExpired: 0, nurtureCancelled: 0,
      erasedAfterConsentEnded: 0, keptInActiveProcess: 1, erasedAfterRetention: 0,
    });
    const [{ entries }] = await sql(`SELECT count(*)::int AS entries FROM audit_log WHERE action = 'consent_expired'`);
    expect(entries).toBe(520 + 1200);
  }, 180_000);

  it('notes each expiry once when two runs note at the same time', async () => {
    const later = new Date(T0.getTime() + 30 * DAY);
    // The bare-date consents of the renewing people (#576-#1,150) and the rest have expired by now.
    const [{ due }] = await sql(
      `SELECT count(*)::int AS due FROM candidate WHERE consent_withdrawn_at IS NULL AND consent_expires_at <= $1
         AND email LIKE 'renewing%'`,
      [later],
    );
    expect(due).toBe(1150);
    // The first run stops as it is about to note its first window; the second runs meanwhile.
    const expiry = sut.app.get(ConsentExpiry);
    let calls = 0;
    const [first, second] = await interleave({
      target: sut.app.get(AuditLog),
      method: 'recordMany',
      stopsAt: () => calls++ === 0,
      first: () => expiry.noteExpired(later),
      rival: () => expiry.noteExpired(later),
      db: sut.app.get(DataSource),
    });
    expect(first.expired + second.expired).toBe(1150);
    const [{ entries, consents }] = await sql(
      `SELECT count(*)::int AS entries, count(DISTINCT a.details->>'consentId')::int AS consents
       FROM audit_log a JOIN candidate c ON c.id = a.candidate_id
       WHERE a.action = 'consent_expired' AND c.email LIKE 'renewing%'`,
    );
    expect({ entries, consents }).toEqual({ entries: 1150, consents: 1150 });
  }, 120_000);
});
