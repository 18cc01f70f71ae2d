import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { CandidateEmailRequest, OutboxService } from '../email/outbox.service';
import { TemplateKey } from '../template/template-keys';
import { COUNTED_NURTURE_STATUSES } from './campaign-mail';
import { EnrollmentExits } from './enrollment-exits';
import { localPlusSql } from './step-delay';

/** Enrollments per transaction: big enough to amortise round trips, small enough to keep locks short. */
export const STEP_BATCH_SIZE = 1000;

export interface StepBatchReport {
  claimed: number;
  queued: number;
  suppressed: number;
  deferred: number;
  completed: number;
}

interface PlannedStep {
  id: string;
  action: 'send' | 'wait' | 'complete';
  /** After this batch: `completed` once the last step went out (or the steps ran out). */
  status: 'active' | 'completed';
  candidateId: string;
  step: number;
  templateKey: string | null;
}


/**
 * Queues due campaign steps, one batch per transaction:
 * claim due enrollments (SKIP LOCKED, with their candidates, so two
 * instances never mail one person at once), decide per row in one
 * statement (send, wait for the min gap, or complete), enqueue the sends
 * through the outbox in one call, all in the same transaction.
 */
@Injectable()
export class StepDispatcher {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: OutboxService,
    private readonly exits: EnrollmentExits,
    private readonly config: AppConfig,
  ) {}

  async dispatchBatch(campaignId: string, now: Date): Promise<StepBatchReport> {
    const report: StepBatchReport = { claimed: 0, queued: 0, suppressed: 0, deferred: 0, completed: 0 };
    return this.dataSource.transaction(async (manager) => {
      // Shared lock: pausing waits for the batch in flight, and nothing is queued after pause returns.
      const [campaign] = await manager.query(`SELECT status FROM campaign WHERE id = $1 FOR SHARE`, [campaignId]);
      if (campaign?.status !== 'active') return report;
      const ids = await this.claim(manager, campaignId, now);
      report.claimed = ids.length;
      if (ids.length === 0) return report;
      const planned = await this.planAndAdvance(manager, ids, now);
      const sends = planned.filter((row) => row.action === 'send');
      report.deferred = planned.filter((row) => row.action === 'wait').length;
      report.completed = planned.filter((row) => row.status === 'completed').length;
      const requests = sends.map((row) => this.request(campaignId, row));
      const enrollmentOf = new Map(requests.map((request, index) => [request.idempotencyKey, sends[index].id]));
      const enqueued = await this.outbox.enqueueForCandidates(requests, manager);
      const suppressed = enqueued.filter((email) => email.status === 'suppressed');
      report.suppressed = suppressed.length;
      report.queued = enqueued.length - suppressed.length;
      const unreachable = suppressed.map((email) => enrollmentOf.get(email.idempotencyKey)!);
      await this.exits.exitSuppressed(manager, unreachable, now);
      return report;
    });
  }

  /**
   * Earliest due first, in index order. Not also by id: a whole audience
   * enrolled at once shares one due time, and a tie-breaker would make
   * every batch sort all of them to take the first thousand.
   */
  private async claim(manager: EntityManager, campaignId: string, now: Date): Promise<string[]> {
    const rows: { id: string }[] = await manager.query(
      `SELECT e.id FROM enrollment e JOIN candidate c ON c.id = e.candidate_id
       WHERE e.campaign_id = $1 AND e.status = 'active' AND e.next_step_due_at <= $2
       ORDER BY e.next_step_due_at
       LIMIT $3
       FOR UPDATE OF e SKIP LOCKED
       FOR NO KEY UPDATE OF c SKIP LOCKED`,
      [campaignId, now, STEP_BATCH_SIZE],
    );
    return rows.map((row) => row.id);
  }

  /**
   * In a statement after the claim, so it sees nurture mail another
   * instance committed while we waited for the locks. The gap counts from
   * the last nurture email to the person from any campaign: when it was
   * sent, or when a queued one is due to go. A step that would break the
   * gap waits until it has passed; later steps count from this one.
   */
  private async planAndAdvance(manager: EntityManager, ids: string[], now: Date): Promise<PlannedStep[]> {
    const [rows] = await manager.query(
      `WITH plan AS (
         SELECT e.id, e.candidate_id, e.next_step AS step, s.template_key, following.delay AS following_delay,
                (SELECT time_zone FROM candidate WHERE id = e.candidate_id) AS zone,
                (SELECT max(coalesce(m.sent_at, m.next_attempt_at)) FROM email m
                 WHERE m.candidate_id = e.candidate_id AND m.category = 'nurture'
                   AND m.status IN ${COUNTED_NURTURE_STATUSES}) AS last_nurture_at
         FROM enrollment e
         LEFT JOIN campaign_step s ON s.campaign_id = e.campaign_id AND s.position = e.next_step
         LEFT JOIN campaign_step following ON following.campaign_id = e.campaign_id AND following.position = e.next_step + 1
         WHERE e.id = ANY($1::uuid[])
       ), decided AS (
         SELECT plan.*,
                CASE WHEN template_key IS NULL THEN 'complete'
                     WHEN ${localPlusSql('last_nurture_at', '$3::text', 'zone')} > $2::timestamptz THEN 'wait'
                     ELSE 'send' END AS action
         FROM plan
       ), outcome AS (
         SELECT decided.*,
                CASE WHEN action = 'wait' THEN ${localPlusSql('last_nurture_at', '$3::text', 'zone')}
                     WHEN action = 'send' AND following_delay IS NOT NULL THEN ${localPlusSql('$2::timestamptz', 'following_delay', 'zone')}
                END AS due_at
         FROM decided
       )
       UPDATE enrollment e SET
         next_step = CASE WHEN o.action = 'send' THEN o.step + 1 ELSE e.next_step END,
         next_step_due_at = o.due_at,
         step_anchor_at = CASE WHEN o.action = 'send' THEN $2::timestamptz ELSE e.step_anchor_at END,
         status = CASE WHEN o.due_at IS NULL THEN 'completed' ELSE 'active' END,
         ended_at = CASE WHEN o.due_at IS NULL THEN $2::timestamptz END
       FROM outcome o WHERE e.id = o.id
       RETURNING o.id, o.action, e.status, o.candidate_id AS "candidateId", o.step, o.template_key AS "templateKey"`,
      [ids, now, this.config.NURTURE_MIN_GAP],
    );
    return rows;
  }

  private request(campaignId: string, row: PlannedStep): CandidateEmailRequest {
    return {
      candidateId: row.candidateId,
      templateKey: row.templateKey as TemplateKey,
      category: 'nurture',
      // Per enrollment: someone enrolled again after leaving gets the steps again.
      idempotencyKey: `campaign:${campaignId}:enrollment:${row.id}:step:${row.step}`,
      campaignId,
      campaignStep: row.step,
      enrollmentId: row.id,
    };
  }
}
