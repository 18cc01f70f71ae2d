import { DateTime } from 'luxon';
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
 * Claims (job, day) in job_run. True for exactly one caller across all
 * instances; inside the caller's transaction, a failed run leaves the day
 * free for the next tick.
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
