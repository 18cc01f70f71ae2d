import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DateTime } from 'luxon';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { CandidateEmailRequest, OutboxService } from '../../email/outbox.service';
import { RenewalLinkService } from '../renewal-link/renewal-link.service';
import { renewalOffsets } from './renewal-offsets';

export const LIFECYCLE_BATCH = 500;

interface Due {
  candidate_id: string;
  consent_id: string;
  expires_at: Date;
  time_zone: string;
  offset_days: number;
}

/**
 * Renewal requests before pool consent expires (CONSENT_RENEWAL_DAYS,
 * default 30 and 7 days before), through the outbox. Each consent gets
 * each reminder once (consent_renewal_request); a run that was missed
 * sends only the latest reminder that is due, not every one at once.
 * Only people we may still write to are asked: active, not unsubscribed.
 */
@Injectable()
export class ConsentRenewals {
  private readonly offsets: number[];

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: OutboxService,
    private readonly links: RenewalLinkService,
    config: AppConfig,
  ) {
    this.offsets = renewalOffsets(config.CONSENT_RENEWAL_DAYS);
  }

  /** Returns how many requests were queued. */
  async queueDue(now: Date): Promise<number> {
    let queued = 0;
    for (;;) {
      const batch = await this.dataSource.transaction((manager) => this.queueBatch(manager, now));
      queued += batch.queued;
      if (batch.selected < LIFECYCLE_BATCH) return queued;
    }
  }

  private async queueBatch(manager: EntityManager, now: Date): Promise<{ selected: number; queued: number }> {
    const due: Due[] = await manager.query(
      `SELECT c.id AS candidate_id, latest.id AS consent_id, c.consent_expires_at AS expires_at, c.time_zone, due.offset_days
       FROM candidate c
       CROSS JOIN LATERAL (SELECT id FROM consent WHERE candidate_id = c.id AND scope = 'talent_pool'
                           ORDER BY granted_at DESC, created_at DESC LIMIT 1) latest
       CROSS JOIN LATERAL (SELECT min(d) AS offset_days FROM unnest($2::int[]) AS d
                           WHERE c.consent_expires_at - make_interval(days => d) <= $1) due
       WHERE c.consent_expires_at IS NOT NULL
         AND LEAST(c.consent_withdrawn_at, c.consent_expires_at) > $1
         AND LEAST(c.consent_withdrawn_at, c.consent_expires_at) <= $1::timestamptz + make_interval(days => $3)
         AND c.consent_withdrawn_at IS NULL AND c.status = 'active' AND c.unsubscribed_at IS NULL
         AND due.offset_days IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM consent_renewal_request r WHERE r.consent_id = latest.id AND r.offset_days <= due.offset_days)
       ORDER BY c.consent_expires_at, c.id
       LIMIT $4`,
      [now, this.offsets, this.offsets[0], LIFECYCLE_BATCH],
    );
    if (due.length === 0) return { selected: 0, queued: 0 };
    const claimed: { consent_id: string; offset_days: number }[] = await manager.query(
      `INSERT INTO consent_renewal_request (consent_id, offset_days, requested_at)
       SELECT consent_id, offset_days, $3 FROM unnest($1::uuid[], $2::int[]) AS r(consent_id, offset_days)
       ON CONFLICT DO NOTHING RETURNING consent_id, offset_days`,
      [due.map((row) => row.consent_id), due.map((row) => row.offset_days), now],
    );
    const wanted = new Set(claimed.map((row) => `${row.consent_id}:${row.offset_days}`));
    const requests: CandidateEmailRequest[] = due
      .filter((row) => wanted.has(`${row.consent_id}:${row.offset_days}`))
      .map((row) => ({
        candidateId: row.candidate_id,
        templateKey: 'consent_renewal',
        category: 'transactional',
        idempotencyKey: `consent-renewal:${row.consent_id}:${row.offset_days}`,
        data: {
          links: { consent: this.links.link(row.candidate_id, row.expires_at) },
          expiresOn: DateTime.fromJSDate(row.expires_at, { zone: row.time_zone }).toISODate(),
        },
      }));
    await this.outbox.enqueueForCandidates(requests, manager);
    return { selected: due.length, queued: requests.length };
  }
}
