import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ExitReason } from './enrollment.entity';
import { exitReasonSql } from './nurture-eligibility';

const END_ENROLLMENT = `status = 'exited', ended_at = $1, next_step_due_at = NULL`;

/** Ending sequences early, always set-based and always with a reason. */
@Injectable()
export class EnrollmentExits {
  /**
   * Ends the active enrollments of everyone who may no longer get nurture
   * mail or has replied. Rows another instance is working on are skipped
   * (and caught on its next tick), so two instances never deadlock here.
   */
  async exitIneligible(manager: EntityManager, now: Date): Promise<Map<ExitReason, number>> {
    const rows: { reason: ExitReason; n: number }[] = await manager.query(
      `WITH leaving AS (
         SELECT e.id, ${exitReasonSql('$1')} AS reason
         FROM enrollment e JOIN candidate c ON c.id = e.candidate_id
         WHERE e.status = 'active' AND ${exitReasonSql('$1')} IS NOT NULL
         FOR UPDATE OF e SKIP LOCKED
       ), ended AS (
         UPDATE enrollment e SET ${END_ENROLLMENT}, exit_reason = leaving.reason
         FROM leaving WHERE e.id = leaving.id
         RETURNING leaving.reason
       )
       SELECT reason, count(*)::int AS n FROM ended GROUP BY reason`,
      [now],
    );
    return new Map(rows.map((row) => [row.reason, row.n]));
  }

  /** A reply ends every sequence the person was in when it arrived. */
  /** The person's enrolments begun by a time, ended or not: a reply received then answers each of them. */
  async joinedBy(manager: EntityManager, candidateId: string, at: Date): Promise<string[]> {
    const rows: { id: string }[] = await manager.query(
      `SELECT id FROM enrollment WHERE candidate_id = $1 AND enrolled_at <= $2`,
      [candidateId, at],
    );
    return rows.map((row) => row.id);
  }

  async exitOnReply(manager: EntityManager, candidateId: string, receivedAt: Date, now: Date): Promise<number> {
    const [, count] = await manager.query(
      `UPDATE enrollment SET ${END_ENROLLMENT}, exit_reason = 'replied'
       WHERE candidate_id = $2 AND status = 'active' AND enrolled_at <= $3`,
      [now, candidateId, receivedAt],
    );
    return count;
  }

  /**
   * Their step's email was suppressed when queued. When the person's own
   * state explains it (consent ran out since the sweep), that is the
   * reason; otherwise it was the address, and the sequence would only
   * produce more suppressed mail.
   */
  async exitSuppressed(manager: EntityManager, enrollmentIds: string[], now: Date): Promise<number> {
    if (enrollmentIds.length === 0) return 0;
    // Also a sequence this very step completed: it did not complete, nothing reached the person.
    const [, count] = await manager.query(
      `UPDATE enrollment e SET ${END_ENROLLMENT}, exit_reason = coalesce(${exitReasonSql('$1')}, 'address_suppressed')
       FROM candidate c
       WHERE c.id = e.candidate_id AND e.id = ANY($2::uuid[])`,
      [now, enrollmentIds],
    );
    return count;
  }

  async exitCampaign(manager: EntityManager, campaignId: string, now: Date): Promise<number> {
    const [, count] = await manager.query(
      `UPDATE enrollment SET ${END_ENROLLMENT}, exit_reason = 'campaign_archived'
       WHERE campaign_id = $2 AND status = 'active'`,
      [now, campaignId],
    );
    return count;
  }
}
