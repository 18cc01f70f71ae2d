import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { Clock } from '../common/time/clock';
import { AppConfig, Locale } from '../config/app-config';
import { OutboxService } from '../email/outbox.service';
import { Stage } from './candidacy-stages';
import { DueItem, FeedbackDueService } from './feedback-due.service';

export interface DigestReport {
  /** The organisation's date the run is for. */
  day: string;
  /** false: before FEEDBACK_DIGEST_HOUR, or another run (any instance) already did this day. */
  ran: boolean;
  digests: number;
  items: number;
}

const JOB = 'feedback_digest';

const STAGE_LABELS: Record<Locale, Record<Stage, string>> = {
  en: { applied: 'Application', screening: 'Phone screen', interview: 'Interview', final: 'Final interview', offer: 'Offer' },
  sv: { applied: 'Ansökan', screening: 'Telefonintervju', interview: 'Intervju', final: 'Slutintervju', offer: 'Erbjudande' },
};

/**
 * Once a day, each hiring manager and recruiter gets one email listing the
 * feedback they owe that is overdue or due soon; nobody gets an empty one.
 * "Once" holds across instances: the run claims (job, day) in job_run in
 * the same transaction that queues the emails, so a second instance (or a
 * second tick) finds the day taken, and a failed run leaves it free.
 */
@Injectable()
export class FeedbackDigestService {
  private readonly logger = new Logger(FeedbackDigestService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly due: FeedbackDueService,
    private readonly outbox: OutboxService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  async runDaily(): Promise<DigestReport> {
    const now = this.clock.now();
    const local = DateTime.fromJSDate(now, { zone: this.config.DEFAULT_TIME_ZONE });
    const day = local.toISODate()!;
    if (local.hour < this.config.FEEDBACK_DIGEST_HOUR) return { day, ran: false, digests: 0, items: 0 };
    const report = await this.dataSource.transaction(async (manager) => {
      const [claimed] = await manager.query(
        `INSERT INTO job_run (job, run_on, started_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING run_on`,
        [JOB, day, now],
      );
      if (!claimed) return { day, ran: false, digests: 0, items: 0 };
      const items = await this.due.overdueOrDueSoon(manager, now);
      const byOwner = new Map<string, DueItem[]>();
      for (const item of items) {
        const key = item.owner.email.trim().toLowerCase();
        byOwner.set(key, [...(byOwner.get(key) ?? []), item]);
      }
      const locale = this.config.DEFAULT_LOCALE;
      for (const [address, owed] of byOwner) {
        await this.outbox.enqueueForStaff({
          toAddress: owed[0].owner.email,
          locale,
          timeZone: this.config.DEFAULT_TIME_ZONE,
          templateKey: 'feedback_digest',
          idempotencyKey: `feedback-digest:${day}:${createHash('sha256').update(address).digest('hex').slice(0, 32)}`,
          data: {
            recipient: { name: owed[0].owner.name },
            items: owed.map((item) => ({
              candidateName: item.candidate.fullName,
              vacancyTitle: item.vacancy.title,
              stage: STAGE_LABELS[locale][item.stage],
              dueAt: item.dueOn,
              daysLate: item.daysLate,
            })),
          },
        }, manager);
      }
      const result = { day, ran: true, digests: byOwner.size, items: items.length };
      await manager.query(`UPDATE job_run SET report = $3 WHERE job = $1 AND run_on = $2`, [JOB, day, JSON.stringify(result)]);
      return result;
    });
    if (report.ran) this.logger.log({ day: report.day, digests: report.digests, items: report.items }, 'Feedback digest queued');
    return report;
  }
}
