import { DateTime } from 'luxon';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';

/**
 * The organisation's calendar day at `now`, and whether its run hour has
 * come. Daily jobs key their once-a-day claim on this day.
 */
export function organisationDay(now: Date, zone: string, runHour: number): { day: string; due: boolean } {
  const local = DateTime.fromJSDate(now, { zone });
  return { day: local.toISODate()!, due: local.hour >= runHour };
}

/**
 * Claims (job, day) in job_run for a run done in one transaction, the
 * caller's. True for exactly one caller across all instances; a failed run
 * leaves the day free for the next tick. A run over many transactions takes
 * a DailyRunLease instead: a claim committed before its work would outlive
 * a run that died.
 */
export async function claimDailyRun(manager: EntityManager, job: string, day: string, now: Date): Promise<boolean> {
  const [claimed] = await manager.query(
    `INSERT INTO job_run (job, run_on, started_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING run_on`,
    [job, day, now],
  );
  return Boolean(claimed);
}

/** Keeps what a run did next to its claim, for operators. */
export async function recordDailyReport(manager: EntityManager, job: string, day: string, report: object): Promise<void> {
  await manager.query(`UPDATE job_run SET report = $3 WHERE job = $1 AND run_on = $2`, [job, day, JSON.stringify(report)]);
}

/** The run lost its day to another (its lease had run out): it must stop, and leave the report to that one. */
export class DailyRunTakenOver extends Error {
  constructor(job: string, day: string) {
    super(`The ${job} run for ${day} was taken over by another run after its lease ran out`);
    this.name = DailyRunTakenOver.name;
  }
}

/**
 * The day of a daily job whose run spans many transactions, held by a
 * lease rather than claimed for good: a run that dies midway (a deploy, a
 * crash) stops renewing it, and once it has run out the next tick, on any
 * instance, runs the day again. So the job's steps must be safe to run
 * again, and to run twice at once should a lease run out under a run that
 * is still alive. The run renews the lease as it goes and loses the day if
 * it did not in time; its report ends the day.
 */
export class DailyRunLease {
  private constructor(
    private readonly manager: EntityManager,
    readonly job: string,
    readonly day: string,
    private readonly token: string,
    private readonly leaseMs: number,
  ) {}

  /** A lease on (job, day), unless the day has its report or another run's lease has not run out. */
  static async take(manager: EntityManager, job: string, day: string, now: Date, leaseMs: number): Promise<DailyRunLease | undefined> {
    const token = randomUUID();
    const [taken] = await manager.query(
      `INSERT INTO job_run AS r (job, run_on, started_at, lease_token, lease_until) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (job, run_on) DO UPDATE SET started_at = EXCLUDED.started_at, lease_token = EXCLUDED.lease_token,
                                               lease_until = EXCLUDED.lease_until
         WHERE r.report IS NULL AND r.lease_until <= EXCLUDED.started_at
       RETURNING run_on`,
      [job, day, now, token, new Date(now.getTime() + leaseMs)],
    );
    return taken ? new DailyRunLease(manager, job, day, token, leaseMs) : undefined;
  }

  /** Another lease from `now`; throws DailyRunTakenOver if the day is no longer this run's. */
  async renew(now: Date): Promise<void> {
    const [, renewed] = await this.manager.query(
      `UPDATE job_run SET lease_until = $4 WHERE job = $1 AND run_on = $2 AND lease_token = $3 AND report IS NULL`,
      [this.job, this.day, this.token, new Date(now.getTime() + this.leaseMs)],
    );
    if (renewed !== 1) throw new DailyRunTakenOver(this.job, this.day);
  }

  /** The report ends the day: no run takes it again. Throws DailyRunTakenOver if the day is no longer this run's. */
  async finish(report: object): Promise<void> {
    const [, finished] = await this.manager.query(
      `UPDATE job_run SET report = $4 WHERE job = $1 AND run_on = $2 AND lease_token = $3 AND report IS NULL`,
      [this.job, this.day, this.token, JSON.stringify(report)],
    );
    if (finished !== 1) throw new DailyRunTakenOver(this.job, this.day);
  }
}
