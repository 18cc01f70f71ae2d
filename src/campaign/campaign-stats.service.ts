import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { campaignNotFound } from './campaign.service';

export interface CampaignFigures {
  /** Campaign: everyone ever enrolled. Step: enrollments that reached the step (queued for them, or waiting for it now). */
  enrolled: number;
  /** Waiting in the outbox (queued, held, being sent). */
  queued: number;
  sent: number;
  /** Given up on, or left in doubt by a crashed sender (`uncertain`, to review). */
  failed: number;
  /** Blocked by the consent, opt-out or suppression check, when queued or when sent. */
  suppressed: number;
  /** Withdrawn before sending (the person unsubscribed or replied meanwhile). */
  cancelled: number;
  /** People who replied after enrolling; per step, after that step was the last one they were sent. */
  replied: number;
  /** People who unsubscribed after enrolling; per step, as for replies. */
  unsubscribed: number;
}

export interface CampaignStats extends CampaignFigures {
  campaignId: string;
  active: number;
  completed: number;
  exited: number;
  steps: (CampaignFigures & { position: number; templateKey: string; waiting: number })[];
}

const EMAIL_BUCKET: Record<string, keyof CampaignFigures> = {
  queued: 'queued', held: 'queued', sending: 'queued', sent: 'sent', failed: 'failed', uncertain: 'failed',
  suppressed: 'suppressed', cancelled: 'cancelled',
};

const zero = (): CampaignFigures => ({
  enrolled: 0, queued: 0, sent: 0, failed: 0, suppressed: 0, cancelled: 0, replied: 0, unsubscribed: 0,
});

/** Figures per campaign and step, each from one aggregate query. */
@Injectable()
export class CampaignStatsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async stats(campaignId: string): Promise<CampaignStats> {
    const steps: { position: number; template_key: string }[] = await this.dataSource.query(
      `SELECT position, template_key FROM campaign_step WHERE campaign_id = $1 ORDER BY position`,
      [campaignId],
    );
    if (steps.length === 0) {
      const [exists] = await this.dataSource.query(`SELECT 1 FROM campaign WHERE id = $1`, [campaignId]);
      if (!exists) throw campaignNotFound(campaignId);
    }
    const [enrollments, emails, events] = await Promise.all([
      this.dataSource.query(
        `SELECT next_step, status, count(*)::int AS n FROM enrollment WHERE campaign_id = $1 GROUP BY 1, 2`,
        [campaignId],
      ) as Promise<{ next_step: number; status: string; n: number }[]>,
      this.dataSource.query(
        `SELECT campaign_step AS step, status, count(*)::int AS n FROM email WHERE campaign_id = $1 GROUP BY 1, 2`,
        [campaignId],
      ) as Promise<{ step: number | null; status: string; n: number }[]>,
      this.events(campaignId),
    ]);

    const total: CampaignStats = { campaignId, ...zero(), active: 0, completed: 0, exited: 0, steps: [] };
    const perStep = new Map(steps.map((step) => [
      step.position,
      { position: step.position, templateKey: step.template_key, waiting: 0, ...zero() },
    ]));
    for (const row of enrollments) {
      total.enrolled += row.n;
      total[row.status as 'active' | 'completed' | 'exited'] += row.n;
      for (const step of perStep.values()) {
        const waitingHere = row.next_step === step.position && row.status === 'active';
        if (row.next_step > step.position || waitingHere) step.enrolled += row.n;
        if (waitingHere) step.waiting += row.n;
      }
    }
    for (const row of emails) {
      const bucket = EMAIL_BUCKET[row.status];
      total[bucket] += row.n;
      const step = row.step === null ? undefined : perStep.get(row.step);
      if (step) step[bucket] += row.n;
    }
    for (const row of events) {
      total[row.kind] += row.n;
      const step = row.step === null ? undefined : perStep.get(row.step);
      if (step) step[row.kind] += row.n;
    }
    total.steps = [...perStep.values()];
    return total;
  }

  /**
   * Replies and unsubscribes of enrolled people, each attributed to the
   * step they were last sent before it happened (none if nothing was sent yet).
   */
  private events(campaignId: string): Promise<{ kind: 'replied' | 'unsubscribed'; step: number | null; n: number }[]> {
    return this.dataSource.query(
      `WITH events AS (
         SELECT e.candidate_id, 'replied' AS kind, min(r.received_at) AS at
         FROM enrollment e JOIN candidate_reply r ON r.candidate_id = e.candidate_id AND r.received_at >= e.enrolled_at
         WHERE e.campaign_id = $1
         GROUP BY e.id, e.candidate_id
         UNION ALL
         SELECT e.candidate_id, 'unsubscribed', c.unsubscribed_at
         FROM enrollment e JOIN candidate c ON c.id = e.candidate_id
         WHERE e.campaign_id = $1 AND c.unsubscribed_at >= e.enrolled_at
       )
       SELECT ev.kind, last_sent.step, count(*)::int AS n
       FROM events ev
       LEFT JOIN LATERAL (
         SELECT m.campaign_step AS step FROM email m
         WHERE m.candidate_id = ev.candidate_id AND m.campaign_id = $1 AND m.status = 'sent' AND m.sent_at <= ev.at
         ORDER BY m.sent_at DESC LIMIT 1
       ) last_sent ON true
       GROUP BY 1, 2`,
      [campaignId],
    );
  }
}
