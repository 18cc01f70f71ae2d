import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Signer } from '../../common/secrets/signer';
import { Clock } from '../../common/time/clock';
import { TimelineService } from '../../timeline/timeline.service';
import { OutboxService } from '../outbox.service';
import { SuppressionService } from '../suppression.service';

export interface LinkHolder {
  candidateId: string;
  locale: 'sv' | 'en';
  /** Unsubscribed already: the link opens on that, with the way back. */
  unsubscribed: boolean;
}

/**
 * One-click unsubscribe (RFC 8058). Stops all nurture at once: the
 * candidate is marked, the address suppressed, pending nurture cancelled;
 * campaigns end the enrollments on their next tick. Only the candidate can
 * undo it, through the same link.
 */
@Injectable()
export class UnsubscribeService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly signer: Signer,
    private readonly suppression: SuppressionService,
    private readonly outbox: OutboxService,
    private readonly timeline: TimelineService,
    private readonly clock: Clock,
  ) {}

  /** The candidate behind a genuine unsubscribe token, or null (tampered, or the person was erased). */
  async holderOf(token: string): Promise<LinkHolder | null> {
    const claims = this.signer.verify(token, 'unsubscribe', this.clock.now());
    if (!claims) return null;
    const [row] = await this.dataSource.query(
      `SELECT id, locale, unsubscribed_at IS NOT NULL AS unsubscribed FROM candidate WHERE id = $1`, [claims.candidateId],
    );
    return row ? { candidateId: row.id, locale: row.locale, unsubscribed: row.unsubscribed } : null;
  }

  /** Idempotent: a second click keeps the first time. */
  async unsubscribe(candidateId: string): Promise<void> {
    const now = this.clock.now();
    await this.dataSource.transaction(async (manager) => {
      const [[candidate]] = await manager.query(
        `UPDATE candidate c SET unsubscribed_at = coalesce(c.unsubscribed_at, $2),
                status = CASE WHEN c.status = 'active' THEN 'opted_out' ELSE c.status END,
                updated_at = CASE WHEN c.unsubscribed_at IS NULL THEN $2 ELSE c.updated_at END
         FROM (SELECT id, unsubscribed_at FROM candidate WHERE id = $1 FOR UPDATE) before
         WHERE c.id = before.id RETURNING c.email, before.unsubscribed_at AS "wasUnsubscribedAt"`,
        [candidateId, now],
      );
      // Erased since the link was opened: the erasure already blocked the address for good.
      if (!candidate) return;
      await this.suppression.suppress(candidate.email, 'unsubscribed', manager);
      if (!candidate.wasUnsubscribedAt) {
        await this.timeline.record(manager, candidateId, 'unsubscribed', { via: 'unsubscribe link' }, { occurredAt: now });
      }
      await this.outbox.cancelPending([candidateId], 'candidate unsubscribed', 'nurture', manager);
    });
  }

  async resubscribe(candidateId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const [[candidate]] = await manager.query(
        `UPDATE candidate SET unsubscribed_at = NULL,
                status = CASE WHEN status = 'opted_out' THEN 'active' ELSE status END, updated_at = $2
         WHERE id = $1 RETURNING email`,
        [candidateId, this.clock.now()],
      );
      if (!candidate) return;
      await this.suppression.lift(candidate.email, 'unsubscribed', manager);
      await this.timeline.record(manager, candidateId, 'resubscribed', { via: 'unsubscribe link' });
    });
  }
}
