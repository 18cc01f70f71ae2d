import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../../common/time/clock';
import { AppConfig } from '../../config/app-config';
import { ConsentExpiry } from './consent-expiry';
import { ConsentRenewals } from './consent-renewals';
import { LifecycleErasures } from './lifecycle-erasures';
import { DailyRunLease, organisationDay } from '../../common/scheduling/daily-job';

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

const JOB = 'privacy_daily';
/**
 * How long the day stays a run's without word from it. It renews the lease after every batch (a batch
 * takes seconds), so only a run that died, or hung, loses it; the day is then run again by the next tick
 * after it ran out, on any instance. A run that failed is tried again the same way.
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
    const renewalRequests = await this.renewals.queueDue(now, afterBatch);
    const expired = await this.expiry.noteExpired(now, afterBatch);
    const ended = await this.erasures.afterConsentEnded(now, afterBatch);
    const erasedAfterRetention = await this.erasures.afterRetention(now, afterBatch);
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
