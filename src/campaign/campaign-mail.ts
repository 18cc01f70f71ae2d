import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { localPlusSql } from './step-delay';

/** Nurture mail that still counts against the gap: anything not stopped before it left. */
export const COUNTED_NURTURE_STATUSES = `('queued', 'held', 'sending', 'sent', 'uncertain')`;

/** The same notes as the email_follows_campaign trigger writes (migration 1764463500000). */
const PAUSED_NOTE = 'Held while the campaign is paused.';
const ARCHIVED_NOTE = 'The campaign was archived before this email was sent.';

/**
 * What a campaign's status change does to its mail already in the outbox
 * (mail with a sender at that moment follows by the email_follows_campaign
 * trigger when it would be queued again).
 * Runs in the status change's transaction, after the step batch in flight
 * has committed (it holds a share lock on the campaign), so no email of the
 * campaign is queued or released behind the change's back.
 */
@Injectable()
export class CampaignMail {
  constructor(private readonly config: AppConfig) {}

  /** Pausing holds queued mail back; what a sender already claimed still goes. */
  async holdQueued(manager: EntityManager, campaignId: string, now: Date): Promise<number> {
    const [, count] = await manager.query(
      `UPDATE email SET status = 'held', last_error = $3, updated_at = $2
       WHERE campaign_id = $1 AND status = 'queued'`,
      [campaignId, now, PAUSED_NOTE],
    );
    return count;
  }

  /**
   * Resuming queues the held mail again. An email held for weeks must not
   * land right after nurture mail another campaign sent meanwhile: it goes
   * no earlier than NURTURE_MIN_GAP after the person's other nurture mail.
   */
  async releaseHeld(manager: EntityManager, campaignId: string, now: Date): Promise<number> {
    // The step dispatcher locks the people it mails; so does this, so a step of another campaign
    // and this release cannot both decide "now" for one person.
    await manager.query(
      `SELECT 1 FROM candidate WHERE id IN (SELECT candidate_id FROM email WHERE campaign_id = $1 AND status = 'held' AND last_error = $2)
       ORDER BY id FOR NO KEY UPDATE`,
      [campaignId, PAUSED_NOTE],
    );
    const [, count] = await manager.query(
      `UPDATE email m SET status = $4, last_error = NULL, updated_at = $2,
              next_attempt_at = greatest(m.next_attempt_at, $2::timestamptz, ${localPlusSql(
                `(SELECT max(coalesce(o.sent_at, o.next_attempt_at)) FROM email o
                  WHERE o.candidate_id = m.candidate_id AND o.category = 'nurture' AND o.id <> m.id
                    AND o.status IN ${COUNTED_NURTURE_STATUSES})`,
                '$5::text',
                '(SELECT time_zone FROM candidate WHERE id = m.candidate_id)',
              )})
       WHERE m.campaign_id = $1 AND m.status = 'held' AND m.last_error = $3`,
      [campaignId, now, PAUSED_NOTE, this.config.SMTP_URL ? 'queued' : 'held', this.config.NURTURE_MIN_GAP],
    );
    return count;
  }

  /** Archiving cancels whatever of the campaign has not been handed to a sender. */
  async cancelUnsent(manager: EntityManager, campaignId: string, now: Date): Promise<number> {
    const [, count] = await manager.query(
      `UPDATE email SET status = 'cancelled', last_error = $3, updated_at = $2
       WHERE campaign_id = $1 AND status IN ('queued', 'held')`,
      [campaignId, now, ARCHIVED_NOTE],
    );
    return count;
  }
}
