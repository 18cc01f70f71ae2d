import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DateTime } from 'luxon';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../common/time/clock';
import { AppConfig } from '../config/app-config';
import { TimelineService } from '../timeline/timeline.service';
import { OutboxService } from '../email/outbox.service';

export type Interest = 'open' | 'not_now';

export interface InterestState {
  interest: Interest | null;
  /** Set while "not right now" keeps them out of matching. */
  pausedUntil: string | null;
}

/**
 * What the candidate told us about new roles. "Not right now" keeps them
 * out of matching (and invitations) for MATCH_NOT_NOW_DAYS, after which
 * they are matched again: a pause, not a goodbye. "Open to offers" ends a
 * pause. Leaving the pool altogether is a consent withdrawal, not an interest.
 */
@Injectable()
export class CandidateInterestService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly timeline: TimelineService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly outbox: OutboxService,
  ) {}

  async get(candidateId: string, manager: EntityManager = this.dataSource.manager): Promise<InterestState> {
    const [row]: { interest: Interest; paused_until: Date | null }[] = await manager.query(
      `SELECT interest, paused_until FROM candidate_interest WHERE candidate_id = $1`,
      [candidateId],
    );
    const paused = row?.paused_until && row.paused_until > this.clock.now() ? row.paused_until.toISOString() : null;
    return { interest: row ? (row.interest === 'not_now' && !paused ? null : row.interest) : null, pausedUntil: paused };
  }

  /** Records the answer and a timeline entry, unless it repeats the current one. Returns whether it changed. */
  async set(candidateId: string, interest: Interest, via: string): Promise<boolean> {
    const now = this.clock.now();
    const pausedUntil = interest === 'not_now'
      ? DateTime.fromJSDate(now).plus({ days: this.config.MATCH_NOT_NOW_DAYS }).toJSDate()
      : null;
    return this.dataSource.transaction(async (manager) => {
      // An invite in progress holds the person in share mode: wait for it, so its invitation is seen and cancelled.
      await manager.query(`SELECT 1 FROM candidate WHERE id = $1 FOR NO KEY UPDATE`, [candidateId]);
      // Read under the lock: of two submits of the same answer, the second finds the first's and records nothing.
      if ((await this.get(candidateId, manager)).interest === interest) return false;
      await manager.query(
        `INSERT INTO candidate_interest (candidate_id, interest, paused_until, updated_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (candidate_id) DO UPDATE SET interest = EXCLUDED.interest, paused_until = EXCLUDED.paused_until,
                                                  updated_at = EXCLUDED.updated_at`,
        [candidateId, interest, pausedUntil, now],
      );
      if (interest === 'not_now') {
        await this.outbox.cancelPending([candidateId], 'The person said "not right now".', { templateKeys: ['new_role_invitation'] }, manager);
      }
      await this.timeline.record(manager, candidateId, 'interest_changed', {
        interest, via, pausedUntil: pausedUntil?.toISOString() ?? null,
      }, { occurredAt: now });
      return true;
    });
  }
}
