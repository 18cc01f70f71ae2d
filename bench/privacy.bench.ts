/**
 * The daily privacy run (renewal requests, expiries noted, grace-period and
 * retention erasures) on a copy of the seeded database, timed step by step
 * with every statement's time.
 *
 *   npm run bench:seed -- 200000 && npm run bench:privacy
 *
 * Database: DATABASE_URL's database (or the embedded bench database, see
 * seed.ts) is the source and is never changed: the run works on a copy
 * made with CREATE DATABASE ... TEMPLATE (which needs nobody else connected
 * to the source), dropped at the end.
 *
 * The seed's consents were granted up to 300 days before seeding, so on the
 * day of seeding nothing is due a renewal. The run is therefore made
 * BENCH_PRIVACY_DAYS (default 100) days ahead of now: about 6% of the pool
 * is due a reminder, about 17% of consents have expired (most of them past
 * the grace period, so they are erased too), and the withdrawals are erased.
 * BENCH_PRIVACY_KEPT (default 2,000) of the people due for erasure, those
 * whose consent ended first, are put in an active recruitment first, so the
 * erasure step has people it must keep (and walk past). A second run the
 * next day shows the cost of a day with little to do. Each step lists its
 * BENCH_PRIVACY_TOP (default 3) costliest statements with their worst time.
 */
import { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import { AfterQueryEvent, DataSource, EntitySubscriberInterface } from 'typeorm';
import { createApp } from '../src/bootstrap';
import { Clock } from '../src/common/time/clock';
import { loadConfig } from '../src/config/app-config';
import { ConsentExpiry } from '../src/privacy/lifecycle/consent-expiry';
import { ConsentRenewals } from '../src/privacy/lifecycle/consent-renewals';
import { LifecycleErasures } from '../src/privacy/lifecycle/lifecycle-erasures';
import { PrivacyJobService } from '../src/privacy/lifecycle/privacy-job.service';
import { openBenchDatabase } from './seed';

const DAY = 86_400_000;
const DAYS_AHEAD = nonNegativeInt(process.env.BENCH_PRIVACY_DAYS, 100);
const KEPT = nonNegativeInt(process.env.BENCH_PRIVACY_KEPT, 2_000);
/** Statements listed per step, those that cost most in all first. */
const TOP = nonNegativeInt(process.env.BENCH_PRIVACY_TOP, 3);

function nonNegativeInt(raw: string | undefined, fallback: number): number {
  const n = Number(raw);
  return raw !== undefined && Number.isInteger(n) && n >= 0 ? n : fallback;
}

/** Real time moved by an offset the bench sets: the job sees days pass, and its statements keep their own timestamps. */
class ShiftedClock extends Clock {
  offsetMs = 0;

  override now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
}

interface StatementStats {
  count: number;
  ms: number;
  worstMs: number;
}

interface StepStats {
  ms: number;
  /** By the statement's text (parameters differ, the text does not). */
  statements: Map<string, StatementStats>;
}

/** Which step the statements belong to; TypeORM reports each statement's time to subscribers. */
class StatementTimer implements EntitySubscriberInterface {
  current?: StepStats;

  afterQuery(event: AfterQueryEvent): void {
    const step = this.current;
    if (!step || event.executionTime === undefined) return;
    const text = event.query.replace(/\s+/g, ' ').trim();
    const stats = step.statements.get(text) ?? { count: 0, ms: 0, worstMs: 0 };
    stats.count++;
    stats.ms += event.executionTime;
    stats.worstMs = Math.max(stats.worstMs, event.executionTime);
    step.statements.set(text, stats);
  }
}

/** Steps timed on the instances the job service holds, so runDaily itself is what is timed; `results` is swapped per run. */
class StepTimer {
  results = new Map<string, StepStats>();

  constructor(private readonly statements: StatementTimer) {}

  wrap<T extends object>(label: string, target: T, method: keyof T): void {
    const original = (target[method] as (...args: unknown[]) => Promise<unknown>).bind(target);
    (target as Record<keyof T, unknown>)[method] = async (...args: unknown[]) => {
      const stats: StepStats = { ms: 0, statements: new Map() };
      this.results.set(label, stats);
      this.statements.current = stats;
      const started = Date.now();
      try {
        return await original(...args);
      } finally {
        stats.ms = Date.now() - started;
        this.statements.current = undefined;
      }
    };
  }
}

async function admin<T>(serverUrl: string, work: (client: Client) => Promise<T>): Promise<T> {
  const url = new URL(serverUrl);
  url.pathname = '/postgres';
  const client = new Client({ connectionString: url.toString(), application_name: 'silverpool-bench-privacy' });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** People past the grace period whose consent ended first, in a recruitment now: the erasure must keep them. */
async function putInActiveProcess(dataSource: DataSource, graceCutoff: Date, count: number): Promise<number> {
  if (count === 0) return 0;
  const [{ id: vacancyId }] = await dataSource.query(
    `INSERT INTO vacancy (title, hiring_manager_name, hiring_manager_email, status, expected_decision_date, opened_at, created_at, updated_at)
     VALUES ('Bench privacy vacancy', 'Bench Manager', 'bench.manager@bench.example', 'open', (now() + interval '200 days')::date, now(), now(), now())
     RETURNING id`,
  );
  const [, inserted] = await dataSource.query(
    `WITH kept AS (
       SELECT id FROM candidate c
       WHERE consent_expires_at IS NOT NULL AND LEAST(consent_withdrawn_at, consent_expires_at) <= $2
       ORDER BY LEAST(consent_withdrawn_at, consent_expires_at), id LIMIT $3
     )
     INSERT INTO candidacy (candidate_id, vacancy_id, stage, created_at, updated_at)
     SELECT id, $1, 'interview', now(), now() FROM kept`,
    [vacancyId, graceCutoff, count],
  );
  await dataSource.query('ANALYZE candidacy');
  return typeof inserted === 'number' ? inserted : count;
}

async function counts(dataSource: DataSource): Promise<Record<string, number>> {
  const [row] = await dataSource.query(
    `SELECT (SELECT count(*) FROM candidate)::int AS candidates,
            (SELECT count(*) FROM audit_log WHERE action = 'consent_expired')::int AS "expiriesNoted",
            (SELECT count(*) FROM consent_renewal_request)::int AS "renewalRequests",
            (SELECT count(*) FROM email WHERE template_key = 'consent_renewal')::int AS "renewalEmails"`,
  );
  return row;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function runOnce(app: INestApplication, steps: StepTimer, label: string): Promise<void> {
  steps.results = new Map();
  const started = Date.now();
  const report = await app.get(PrivacyJobService).runDaily();
  console.log(`\n${label}: ${seconds(Date.now() - started)} in all; report ${JSON.stringify(report)}`);
  for (const [step, stats] of steps.results) {
    const statements = [...stats.statements.entries()];
    const count = statements.reduce((sum, [, s]) => sum + s.count, 0);
    const total = statements.reduce((sum, [, s]) => sum + s.ms, 0);
    const worst = Math.max(0, ...statements.map(([, s]) => s.worstMs));
    console.log(`  ${step}: ${seconds(stats.ms)}; ${count} statements, ${seconds(total)} in the database, the worst ${worst} ms`);
    // The statements that cost most in all, with their worst single time: a batch statement that grows shows here.
    for (const [text, s] of statements.sort((a, b) => b[1].ms - a[1].ms).slice(0, TOP)) {
      console.log(`    ${seconds(s.ms).padStart(9)} ${String(s.count).padStart(5)}x worst ${String(s.worstMs).padStart(5)} ms  ${text.slice(0, 100)}`);
    }
  }
}

async function main(): Promise<void> {
  const source = await openBenchDatabase();
  const sourceName = new URL(source.url).pathname.slice(1);
  const copyName = `${sourceName}_privacy_run`;
  const copyUrl = new URL(source.url);
  copyUrl.pathname = `/${copyName}`;
  let app: INestApplication | undefined;
  try {
    const copied = Date.now();
    await admin(source.url, async (client) => {
      await client.query(`DROP DATABASE IF EXISTS "${copyName}" WITH (FORCE)`);
      await client.query(`CREATE DATABASE "${copyName}" TEMPLATE "${sourceName}"`);
    });
    console.log(`Copied ${sourceName} to ${copyName} in ${((Date.now() - copied) / 1000).toFixed(1)} s`);

    const clock = new ShiftedClock();
    clock.offsetMs = DAYS_AHEAD * DAY;
    const config = loadConfig({
      ...process.env,
      DATABASE_URL: copyUrl.toString(),
      ADMIN_API_KEY: 'sp_bench_privacy_key_0123456789abcdef',
      SCHEDULER_ENABLED: 'false',
      DATABASE_PREPARE_POOL: 'false',
      RATE_LIMIT_PER_MINUTE: '0',
      LOG_LEVEL: process.env.BENCH_APP_LOG_LEVEL ?? 'warn',
      // Run whatever the hour: the bench is about the work, not the schedule.
      PRIVACY_JOB_HOUR: '0',
    });
    app = await createApp(config, copyUrl.toString(), { clock });
    const dataSource = app.get(DataSource);
    const statements = new StatementTimer();
    dataSource.subscribers.push(statements);
    const steps = new StepTimer(statements);
    steps.wrap('renewal requests', app.get(ConsentRenewals), 'queueDue');
    steps.wrap('expiries noted', app.get(ConsentExpiry), 'noteExpired');
    steps.wrap('erasures after consent ended', app.get(LifecycleErasures), 'afterConsentEnded');
    steps.wrap('erasures after retention', app.get(LifecycleErasures), 'afterRetention');

    const graceCutoff = new Date(clock.now().getTime() - config.CONSENT_GRACE_DAYS * DAY);
    const kept = await putInActiveProcess(dataSource, graceCutoff, KEPT);
    const [{ version }] = await dataSource.query(`SELECT version()`);
    console.log(`Privacy run ${DAYS_AHEAD} days ahead of now; ${kept} people past the grace period put in an active process`);
    console.log(`${version.split(' on ')[0]}; before: ${JSON.stringify(await counts(dataSource))}`);

    await runOnce(app, steps, `Run 1 (${clock.now().toISOString().slice(0, 10)})`);
    console.log(`after run 1: ${JSON.stringify(await counts(dataSource))}`);
    clock.offsetMs += DAY;
    await runOnce(app, steps, `Run 2, the next day (${clock.now().toISOString().slice(0, 10)})`);
    console.log(`after run 2: ${JSON.stringify(await counts(dataSource))}`);
  } finally {
    await app?.close();
    await admin(source.url, (client) => client.query(`DROP DATABASE IF EXISTS "${copyName}" WITH (FORCE)`)).catch(() => undefined);
    await source.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
