import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../../common/time/clock';
import { AppConfig } from '../../config/app-config';
import { ConsentExpiry } from './consent-expiry';
import { ConsentRenewals } from './consent-renewals';
import { LifecycleErasures } from './lifecycle-erasures';
import { claimDailyRun, organisationDay, recordDailyReport } from '../../common/scheduling/daily-job';

export interface PrivacyJobReport {
  /** The organisation's date the run is for. */
  day: string;
  /** false: before PRIVACY_JOB_HOUR, or another run (any instance) already took this day. */
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
 * The daily consent and retention run: renewal requests, expiries noted,
 * grace-period and retention erasures. Once per day across instances:
 * the run claims (job, day) in job_run before it starts, so other
 * instances and later ticks find the day taken. Each step works in
 * batches, each in its own transaction, and selects by state (not by
 * day), so a run cut short is completed by the next day's.
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
    if (!due || !(await claimDailyRun(this.dataSource.manager, JOB, day, now))) return skipped;
    const renewalRequests = await this.renewals.queueDue(now);
    const expired = await this.expiry.noteExpired(now);
    const ended = await this.erasures.afterConsentEnded(now);
    const erasedAfterRetention = await this.erasures.afterRetention(now);
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
    await recordDailyReport(this.dataSource.manager, JOB, day, report);
    const { day: _day, ran: _ran, ...counts } = report;
    this.logger.log({ day, ...counts }, 'Privacy job done');
    return report;
  }
}
