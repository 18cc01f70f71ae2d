import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DateTime } from 'luxon';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { CandidateEmailRequest, OutboxService } from '../../email/outbox.service';
import { RenewalLinkService } from '../renewal-link/renewal-link.service';
import { AfterBatch, after, BY_CONSENT_END, nextWindow, orderOf, Position, positionAfter, walkInWindows, WalkedRow } from './keyset-walk';
import { renewalOffsets } from './renewal-offsets';

interface Walked extends WalkedRow {
  consent_id: string | null;
  expires_at: Date;
  time_zone: string;
  offset_days: number | null;
  to_ask: boolean;
}

type Due = Walked & { consent_id: string; offset_days: number };

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

  /**
   * One pass over everyone whose consent ends after `now` and within the first reminder's days, in the
   * order it ends. Returns how many requests were queued.
   */
  async queueDue(now: Date, afterBatch?: AfterBatch): Promise<number> {
    let queued = 0;
    await walkInWindows(after(now), (from) => this.dataSource.transaction(async (manager) => {
      const batch = await this.queueWindow(manager, now, from);
      queued += batch.queued;
      return batch.next;
    }), afterBatch);
    return queued;
  }

  private async queueWindow(manager: EntityManager, now: Date, from: Position): Promise<{ queued: number; next?: Position }> {
    // The reminder due is the latest whose day has come (the smallest offset); none is asked again once it,
    // or a later one, was queued.
    const walked: Walked[] = await manager.query(
      `WITH ${nextWindow(BY_CONSENT_END, '$3::timestamptz + make_interval(days => $4)')}
       SELECT c.id, c.walk_key, c.in_range, latest.id AS consent_id, c.consent_expires_at AS expires_at, c.time_zone, due.offset_days,
              CASE WHEN latest.id IS NOT NULL AND due.offset_days IS NOT NULL
                   THEN NOT EXISTS (SELECT 1 FROM consent_renewal_request r
                                    WHERE r.consent_id = latest.id AND r.offset_days <= due.offset_days)
                   ELSE false END AS to_ask
       FROM walked c
       LEFT JOIN LATERAL (SELECT id FROM consent WHERE candidate_id = c.id AND scope = 'talent_pool'
                          ORDER BY granted_at DESC, created_at DESC LIMIT 1) latest
         ON c.in_range AND c.consent_withdrawn_at IS NULL AND c.status = 'active' AND c.unsubscribed_at IS NULL
       LEFT JOIN LATERAL (SELECT min(d) AS offset_days FROM unnest($5::int[]) AS d
                          WHERE c.consent_expires_at - make_interval(days => d) <= $3) due ON true
       ORDER BY ${orderOf(BY_CONSENT_END)}`,
      [from.key, from.id, now, this.offsets[0], this.offsets],
    );
    const due = walked.filter((row): row is Due => row.to_ask);
    const next = positionAfter(walked);
    if (due.length === 0) return { queued: 0, next };
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
        candidateId: row.id,
        templateKey: 'consent_renewal',
        category: 'transactional',
        idempotencyKey: `consent-renewal:${row.consent_id}:${row.offset_days}`,
        data: {
          links: { consent: this.links.link(row.id, row.expires_at) },
          expiresOn: DateTime.fromJSDate(row.expires_at, { zone: row.time_zone }).toISODate(),
        },
      }));
    await this.outbox.enqueueForCandidates(requests, manager);
    return { queued: requests.length, next };
  }
}
