import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { CandidateEraser, ErasureReason } from '../erasure/candidate-eraser';
import {
  AfterBatch, BY_AGE_WITHOUT_CONSENT, BY_CONSENT_END, BY_WITHDRAWAL_WITHOUT_CONSENT, FROM_THE_START, nextWindow, orderOf,
  positionAfter, Walk, walkInWindows, WalkedRow,
} from './keyset-walk';

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
 * Each walks its index once per run (keyset-walk.ts): the people it keeps
 * are read once, not again by every batch after them.
 */
@Injectable()
export class LifecycleErasures {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly eraser: CandidateEraser,
    private readonly config: AppConfig,
  ) {}

  async afterConsentEnded(now: Date, afterBatch?: AfterBatch): Promise<{ erased: number; keptInActiveProcess: number }> {
    const cutoff = DateTime.fromJSDate(now, { zone: this.config.DEFAULT_TIME_ZONE }).minus({ days: this.config.CONSENT_GRACE_DAYS }).toJSDate();
    // Consent that expired or was withdrawn, or a "remove me" from someone who never gave consent (no expiry on file).
    const due = `(c.consent_expires_at IS NOT NULL AND LEAST(c.consent_withdrawn_at, c.consent_expires_at) <= $cutoff
                  OR c.consent_expires_at IS NULL AND c.consent_withdrawn_at <= $cutoff)`;
    const erasable = `${due} AND NOT ${IN_ACTIVE_PROCESS}`;
    const erased = await this.walk('consent_ended', BY_CONSENT_END, erasable, cutoff, afterBatch)
      + await this.walk('consent_ended', BY_WITHDRAWAL_WITHOUT_CONSENT, erasable, cutoff, afterBatch);
    const [{ kept }] = await this.dataSource.query(
      `SELECT count(*)::int AS kept FROM candidate c WHERE ${due.replaceAll('$cutoff', () => '$1')} AND ${IN_ACTIVE_PROCESS}`, [cutoff],
    );
    return { erased, keptInActiveProcess: kept };
  }

  async afterRetention(now: Date, afterBatch?: AfterBatch): Promise<number> {
    const cutoff = DateTime.fromJSDate(now, { zone: this.config.DEFAULT_TIME_ZONE }).minus({ months: this.config.RETENTION_MONTHS }).toJSDate();
    return this.walk('retention', BY_AGE_WITHOUT_CONSENT,
      `c.consent_expires_at IS NULL AND c.created_at <= $cutoff
       AND NOT EXISTS (SELECT 1 FROM candidacy cy WHERE cy.candidate_id = c.id AND (cy.outcome = 'pending' OR cy.decided_at > $cutoff))`,
      cutoff, afterBatch);
  }

  /**
   * Walks `by` up to the cutoff, erasing the people `erasable` (over `candidate c`, the cutoff as `$cutoff`)
   * admits; the eraser checks it again under its lock. Erased rows are gone and kept ones stay behind the
   * walk's position, so each is read once.
   */
  private async walk(reason: ErasureReason, by: Walk, erasable: string, cutoff: Date, afterBatch?: AfterBatch): Promise<number> {
    let erased = 0;
    await walkInWindows(FROM_THE_START, async (from) => {
      const walked: (WalkedRow & { erasable: boolean })[] = await this.dataSource.query(
        `WITH ${nextWindow(by, '$3::timestamptz')}
         SELECT c.id, c.walk_key, c.in_range, c.in_range AND ${erasable.replaceAll('$cutoff', () => '$3')} AS erasable
         FROM walked c ORDER BY ${orderOf(by)}`,
        [from.key, from.id, cutoff],
      );
      const ids = walked.filter((row) => row.erasable).map((row) => row.id);
      erased += await this.eraser.erase(ids, reason, { where: erasable.replaceAll('$cutoff', () => '$2'), cutoff });
      return positionAfter(walked);
    }, afterBatch);
    return erased;
  }
}
