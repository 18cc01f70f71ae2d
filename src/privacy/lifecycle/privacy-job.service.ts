import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { safeErrorLog } from '../../common/errors/safe-error-log';
import { Clock } from '../../common/time/clock';
import { AppConfig } from '../../config/app-config';
import { ConsentExpiry } from './consent-expiry';
import { ConsentRenewals } from './consent-renewals';
import { LifecycleErasures } from './lifecycle-erasures';
import { DailyRunLease, DailyRunTakenOver, organisationDay } from '../../common/scheduling/daily-job';

export interface PrivacyJobReport {
  /** The organisation's date the run is for. */
  day: string;
  /** false: before PRIVACY_JOB_HOUR, or another run (any instance) has done this day or is doing it. */
  ran: boolean;
  renewalRequests: number;
  consentsExpired: number;
  nurtureCancelled: number;
  erasedAfterConsentEnded: number;
  /** Consent ended past the grace period, kept because a process is active. */
  keptInActiveProcess: number;
  erasedAfterRetention: number;
}

/** Steps of a run that failed; the steps after them ran all the same, and the day stays open. */
export class PrivacyStepsFailed extends Error {
  constructor(readonly steps: string[]) {
    super(`Privacy job steps failed: ${steps.join(', ')}. The other steps ran; the day is run again once its lease has run out`);
    this.name = PrivacyStepsFailed.name;
  }
}

const JOB = 'privacy_daily';
/**
 * How long the day stays a run's without word from it. It renews the lease after every batch (a batch
 * takes seconds), so only a run that died, or hung, loses it; the day is then run again by the next tick
 * after it ran out, on any instance. A run with a failed step is tried again the same way, every
 * PRIVACY_RUN_LEASE_MS while the step keeps failing.
 */
export const PRIVACY_RUN_LEASE_MS = 5 * 60_000;

/**
 * The daily consent and retention run: renewal requests, expiries noted,
 * grace-period and retention erasures. Once per day across instances:
 * the run takes a lease on (job, day) in job_run before it starts, so
 * other instances and later ticks find the day taken while it runs, and
 * done once its report is written. Each step works in batches, each in
 * its own transaction, and selects by state (not by day): a run cut short
 * is completed by the next one, and a step run again does only what is
 * still to do.
 */
@Injectable()
export class PrivacyJobService {
  private readonly logger = new Logger(PrivacyJobService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly renewals: ConsentRenewals,
    private readonly expiry: ConsentExpiry,
    private readonly erasures: LifecycleErasures,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  async runDaily(): Promise<PrivacyJobReport> {
    const now = this.clock.now();
    const { day, due } = organisationDay(now, this.config.DEFAULT_TIME_ZONE, this.config.PRIVACY_JOB_HOUR);
    const skipped: PrivacyJobReport = {
      day, ran: false, renewalRequests: 0, consentsExpired: 0, nurtureCancelled: 0,
      erasedAfterConsentEnded: 0, keptInActiveProcess: 0, erasedAfterRetention: 0,
    };
    const lease = due ? await DailyRunLease.take(this.dataSource.manager, JOB, day, now, PRIVACY_RUN_LEASE_MS) : undefined;
    if (!lease) return skipped;
    const afterBatch = () => lease.renew(this.clock.now());
    // The steps choose their work by state, not by one another's results: one that keeps failing (a row
    // it cannot handle) must not hold back the others, least of all the erasures the law requires.
    const failed: string[] = [];
    const step = async <T>(name: string, run: () => Promise<T>, nothing: T): Promise<T> => {
      try {
        return await run();
      } catch (error) {
        if (error instanceof DailyRunTakenOver) throw error;
        failed.push(name);
        this.logger.error({ step: name, ...safeErrorLog(error) }, 'Privacy job step failed');
        return nothing;
      }
    };
    const renewalRequests = await step('renewal requests', () => this.renewals.queueDue(now, afterBatch), 0);
    const expired = await step('expiries', () => this.expiry.noteExpired(now, afterBatch), { expired: 0, nurtureCancelled: 0 });
    const ended = await step('erasures after consent ended', () => this.erasures.afterConsentEnded(now, afterBatch), {
      erased: 0, keptInActiveProcess: 0,
    });
    const erasedAfterRetention = await step('erasures after retention', () => this.erasures.afterRetention(now, afterBatch), 0);
    // No report: the lease runs out and the next tick runs the day again, doing only what is left.
    if (failed.length > 0) throw new PrivacyStepsFailed(failed);
    const report: PrivacyJobReport = {
      day,
      ran: true,
      renewalRequests,
      consentsExpired: expired.expired,
      nurtureCancelled: expired.nurtureCancelled,
      erasedAfterConsentEnded: ended.erased,
      keptInActiveProcess: ended.keptInActiveProcess,
      erasedAfterRetention,
    };
    await lease.finish(report);
    const { day: _day, ran: _ran, ...counts } = report;
    this.logger.log({ day, ...counts }, 'Privacy job done');
    return report;
  }
}
