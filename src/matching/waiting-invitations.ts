import { EntityManager } from 'typeorm';

/**
 * Cancels the new-role invitations of a vacancy that still wait to be sent
 * (for the send window, or held): the vacancy closed. One already with a
 * sender goes out, as any mail in flight does; a retry of it is cancelled
 * by the invitation_follows_match trigger, since the vacancy is no longer
 * open. (A person's own waiting invitations: OutboxService.cancelPending.)
 */
export async function cancelWaitingInvitations(manager: EntityManager, vacancyId: string, reason: string, now: Date): Promise<number> {
  const [, count]: [unknown, number] = await manager.query(
    `UPDATE email SET status = 'cancelled', last_error = $2, updated_at = $3
     WHERE id IN (SELECT invitation_email_id FROM vacancy_match WHERE vacancy_id = $1 AND invitation_email_id IS NOT NULL)
       AND status IN ('queued', 'held')`,
    [vacancyId, reason, now],
  );
  return count;
}
