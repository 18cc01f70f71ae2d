import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { OutboxService } from '../../email/outbox.service';
import { AuditLog } from '../audit/audit-log.service';
import { SYSTEM_ACTOR } from '../audit/request-context';
import { LIFECYCLE_BATCH } from './consent-renewals';

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

  async noteExpired(now: Date): Promise<{ expired: number; nurtureCancelled: number }> {
    const total = { expired: 0, nurtureCancelled: 0 };
    for (;;) {
      const batch = await this.dataSource.transaction((manager) => this.noteBatch(manager, now));
      total.expired += batch.expired;
      total.nurtureCancelled += batch.nurtureCancelled;
      if (batch.expired < LIFECYCLE_BATCH) return total;
    }
  }

  private async noteBatch(manager: EntityManager, now: Date): Promise<{ expired: number; nurtureCancelled: number }> {
    const expired: { candidate_id: string; consent_id: string; expires_at: Date }[] = await manager.query(
      `SELECT c.id AS candidate_id, latest.id AS consent_id, c.consent_expires_at AS expires_at
       FROM candidate c
       CROSS JOIN LATERAL (SELECT id FROM consent WHERE candidate_id = c.id AND scope = 'talent_pool'
                           ORDER BY granted_at DESC, created_at DESC LIMIT 1) latest
       WHERE c.consent_expires_at IS NOT NULL AND LEAST(c.consent_withdrawn_at, c.consent_expires_at) <= $1
         AND c.consent_withdrawn_at IS NULL
         AND NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.candidate_id = c.id AND a.action = 'consent_expired'
                                                    AND a.details->>'consentId' = latest.id::text)
       ORDER BY c.id LIMIT $2`,
      [now, LIFECYCLE_BATCH],
    );
    if (expired.length === 0) return { expired: 0, nurtureCancelled: 0 };
    await this.audit.recordMany(expired.map((row) => ({
      action: 'consent_expired' as const,
      candidateId: row.candidate_id,
      details: { consentId: row.consent_id, scope: 'talent_pool', expiredAt: row.expires_at.toISOString() },
      actor: SYSTEM_ACTOR,
    })), manager);
    const ids = expired.map((row) => row.candidate_id);
    const nurtureCancelled = await this.outbox.cancelPending(ids, 'talent-pool consent expired', 'nurture', manager);
    return { expired: expired.length, nurtureCancelled };
  }
}
