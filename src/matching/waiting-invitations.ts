import { EntityManager } from 'typeorm';

/**
 * Cancels new-role invitations that still wait to be sent (for the send
 * window, or held), of one vacancy or of one person: when the vacancy
 * closes, or the person says "not right now". The email rows are locked
 * first, so a sender's claim cannot slip between the check and the cancel;
 * one already with a sender goes out, as any mail in flight does (a retry
 * of it is cancelled by the invitation_follows_match trigger when the
 * vacancy is no longer open).
 */
export async function cancelWaitingInvitations(
  manager: EntityManager, of: { vacancyId: string } | { candidateId: string }, reason: string, now: Date,
): Promise<number> {
  const where = 'vacancyId' in of
    ? `e.id IN (SELECT invitation_email_id FROM vacancy_match WHERE vacancy_id = $1 AND invitation_email_id IS NOT NULL)`
    : `e.candidate_id = $1 AND e.template_key = 'new_role_invitation'`;
  const [, count]: [unknown, number] = await manager.query(
    `WITH waiting AS (SELECT e.id FROM email e WHERE ${where} AND e.status IN ('queued', 'held') ORDER BY e.id FOR UPDATE)
     UPDATE email e SET status = 'cancelled', last_error = $2, updated_at = $3
     FROM waiting w WHERE e.id = w.id AND e.status IN ('queued', 'held')`,
    ['vacancyId' in of ? of.vacancyId : of.candidateId, reason, now],
  );
  return count;
}
