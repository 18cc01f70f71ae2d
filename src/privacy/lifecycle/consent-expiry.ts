import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { OutboxService } from '../../email/outbox.service';
import { AuditLog } from '../audit/audit-log.service';
import { SYSTEM_ACTOR } from '../audit/request-context';
import { AfterBatch, BY_CONSENT_END, FROM_THE_START, nextWindow, orderOf, Position, positionAfter, walkInWindows, WalkedRow } from './keyset-walk';

/** Arbitrary constant: the advisory lock that lets one batch at a time decide which expiries are still to note. */
const NOTE_LOCK_KEY = 741_852_973;

interface Walked extends WalkedRow {
  consent_id: string | null;
  expires_at: Date;
  to_note: boolean;
}

/**
 * Expiry itself needs no job: every pool filter (search `consent=valid`,
 * campaign audiences, the outbox's nurture gate, enrollment exits) compares
 * the expiry with the clock, so a person leaves the pool the moment it
 * passes. The daily job records each expiry as a consent event in the
 * audit log and cancels the nurture mail still waiting for them.
 */
@Injectable()
export class ConsentExpiry {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: OutboxService,
    private readonly audit: AuditLog,
  ) {}

  /** One pass over everyone whose consent ended by `now`, in the order it ended. */
  async noteExpired(now: Date, afterBatch?: AfterBatch): Promise<{ expired: number; nurtureCancelled: number }> {
    const total = { expired: 0, nurtureCancelled: 0 };
    await walkInWindows(FROM_THE_START, (from) => this.dataSource.transaction(async (manager) => {
      const batch = await this.noteWindow(manager, now, from);
      total.expired += batch.expired;
      total.nurtureCancelled += batch.nurtureCancelled;
      return batch.next;
    }), afterBatch);
    return total;
  }

  private async noteWindow(
    manager: EntityManager, now: Date, from: Position,
  ): Promise<{ expired: number; nurtureCancelled: number; next?: Position }> {
    // The audit log has no key that makes an entry unique: two runs at once (another instance whose claim
    // on the day had lapsed) take turns here, and the second sees what the first noted before deciding.
    await manager.query(`SELECT pg_advisory_xact_lock($1)`, [NOTE_LOCK_KEY]);
    // OFFSET 0 keeps the audit check a probe per row (audit_log_candidate): without it PostgreSQL may hash
    // every consent_expired entry ever written, once per window (330 ms a window at 1M, growing for ever).
    const walked: Walked[] = await manager.query(
      `WITH ${nextWindow(BY_CONSENT_END, '$3::timestamptz')}
       SELECT c.id, c.walk_key, c.in_range, latest.id AS consent_id, c.consent_expires_at AS expires_at,
              CASE WHEN c.in_range AND c.consent_withdrawn_at IS NULL AND latest.id IS NOT NULL
                   THEN NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.candidate_id = c.id AND a.action = 'consent_expired'
                                                              AND a.details->>'consentId' = latest.id::text OFFSET 0)
                   ELSE false END AS to_note
       FROM walked c
       LEFT JOIN LATERAL (SELECT id FROM consent WHERE candidate_id = c.id AND scope = 'talent_pool'
                          ORDER BY granted_at DESC, created_at DESC LIMIT 1) latest ON c.in_range AND c.consent_withdrawn_at IS NULL
       ORDER BY ${orderOf(BY_CONSENT_END)}`,
      [from.key, from.id, now],
    );
    const expired = walked.filter((row) => row.to_note);
    const next = positionAfter(walked);
    if (expired.length === 0) return { expired: 0, nurtureCancelled: 0, next };
    await this.audit.recordMany(expired.map((row) => ({
      action: 'consent_expired' as const,
      candidateId: row.id,
      details: { consentId: row.consent_id, scope: 'talent_pool', expiredAt: row.expires_at.toISOString() },
      actor: SYSTEM_ACTOR,
    })), manager);
    const ids = expired.map((row) => row.id);
    const nurtureCancelled = await this.outbox.cancelPending(ids, 'talent-pool consent expired', 'nurture', manager);
    return { expired: expired.length, nurtureCancelled, next };
  }
}
