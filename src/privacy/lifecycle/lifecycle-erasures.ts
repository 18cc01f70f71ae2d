import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { CandidateEraser, ErasureReason } from '../erasure/candidate-eraser';
import { LIFECYCLE_BATCH } from './consent-renewals';

/** Someone in a recruitment right now: a candidacy still undecided. Their data is needed for it. */
const IN_ACTIVE_PROCESS = `EXISTS (SELECT 1 FROM candidacy cy WHERE cy.candidate_id = c.id AND cy.outcome = 'pending')`;

/**
 * The two automatic erasures, batch by batch (each batch one transaction
 * through CandidateEraser):
 * - pool members whose consent expired or was withdrawn more than
 *   CONSENT_GRACE_DAYS ago, and people who asked to leave without ever
 *   having given consent, unless they are in an active process (then on
 *   the first run after it ends);
 * - applicants who never gave pool consent, RETENTION_MONTHS after their
 *   last process ended (or they were added, if they never had one), never
 *   while a process is active.
 */
@Injectable()
export class LifecycleErasures {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly eraser: CandidateEraser,
    private readonly config: AppConfig,
  ) {}

  async afterConsentEnded(now: Date): Promise<{ erased: number; keptInActiveProcess: number }> {
    const cutoff = DateTime.fromJSDate(now, { zone: this.config.DEFAULT_TIME_ZONE }).minus({ days: this.config.CONSENT_GRACE_DAYS }).toJSDate();
    // Consent that expired or was withdrawn, or a "remove me" from someone who never gave consent (no expiry on file).
    const due = `(c.consent_expires_at IS NOT NULL AND LEAST(c.consent_withdrawn_at, c.consent_expires_at) <= $cutoff
                  OR c.consent_expires_at IS NULL AND c.consent_withdrawn_at <= $cutoff)`;
    const erased = await this.inBatches('consent_ended', `${due} AND NOT ${IN_ACTIVE_PROCESS}`,
      'LEAST(c.consent_withdrawn_at, c.consent_expires_at), c.id', cutoff);
    const [{ kept }] = await this.dataSource.query(
      `SELECT count(*)::int AS kept FROM candidate c WHERE ${due.replaceAll('$cutoff', () => '$1')} AND ${IN_ACTIVE_PROCESS}`, [cutoff],
    );
    return { erased, keptInActiveProcess: kept };
  }

  async afterRetention(now: Date): Promise<number> {
    const cutoff = DateTime.fromJSDate(now, { zone: this.config.DEFAULT_TIME_ZONE }).minus({ months: this.config.RETENTION_MONTHS }).toJSDate();
    return this.inBatches('retention',
      `c.consent_expires_at IS NULL AND c.created_at <= $cutoff
       AND NOT EXISTS (SELECT 1 FROM candidacy cy WHERE cy.candidate_id = c.id AND (cy.outcome = 'pending' OR cy.decided_at > $cutoff))`,
      'c.created_at, c.id', cutoff);
  }

  /** `due` is over `candidate c` with the cutoff as `$cutoff`; the eraser checks it again under its lock. */
  private async inBatches(reason: ErasureReason, due: string, order: string, cutoff: Date): Promise<number> {
    let erased = 0;
    for (;;) {
      const rows: { id: string }[] = await this.dataSource.query(
        `SELECT c.id FROM candidate c WHERE ${due.replaceAll('$cutoff', () => '$1')} ORDER BY ${order} LIMIT $2`,
        [cutoff, LIFECYCLE_BATCH],
      );
      erased += await this.eraser.erase(rows.map((row) => row.id), reason, { where: due.replaceAll('$cutoff', () => '$2'), cutoff });
      if (rows.length < LIFECYCLE_BATCH) return erased;
    }
  }
}
