import { EntityManager } from 'typeorm';

/**
 * What erasure keeps so that aggregate statistics stay correct: the rows
 * other modules count, with the person and everything they or we wrote
 * about them removed. The Privacy migration's CHECK constraints describe
 * exactly what such an anonymous row may hold.
 *
 * - Campaign figures count enrollments and outbox rows per campaign and
 *   step: enrollments end (`erased`) and lose the person; campaign emails
 *   lose the address, subject, bodies and headers, and any still waiting
 *   is cancelled. Other emails to the person are deleted.
 * - Feedback figures count decided candidacies with their deadlines and
 *   the time feedback was given: decided candidacies lose the person, the
 *   free-text notes of their reasons, the promise and a runner-up rank
 *   (so closing the vacancy awards no medal to nobody); feedback keeps
 *   its timing and structured gap but not what was said. A deadline not
 *   yet due is waived (one already late stays late). Candidacies still in
 *   process have no figures yet and are deleted.
 */
export async function anonymiseCountedRows(manager: EntityManager, candidateIds: string[], now: Date): Promise<void> {
  await manager.query(`DELETE FROM email WHERE candidate_id = ANY($1::uuid[]) AND campaign_id IS NULL`, [candidateIds]);
  await manager.query(
    `UPDATE email SET candidate_id = NULL, to_address = 'erased', subject = '', html_body = '', text_body = '', headers = '{}',
            status = CASE WHEN status IN ('queued', 'held', 'sending') THEN 'cancelled' ELSE status END,
            last_error = CASE WHEN status IN ('queued', 'held', 'sending') THEN 'candidate erased' END,
            lease_until = NULL, updated_at = $2
     WHERE candidate_id = ANY($1::uuid[])`,
    [candidateIds, now],
  );
  await manager.query(
    `UPDATE enrollment SET candidate_id = NULL,
            status = CASE WHEN status = 'active' THEN 'exited' ELSE status END,
            exit_reason = CASE WHEN status = 'active' THEN 'erased' ELSE exit_reason END,
            ended_at = CASE WHEN status = 'active' THEN $2 ELSE ended_at END,
            next_step_due_at = NULL
     WHERE candidate_id = ANY($1::uuid[])`,
    [candidateIds, now],
  );

  await manager.query(`DELETE FROM candidacy WHERE candidate_id = ANY($1::uuid[]) AND outcome = 'pending'`, [candidateIds]);
  // Feedback not yet due can no longer be given: waived, not "ghosted" once its date passes. Late already: it stays late.
  await manager.query(
    `UPDATE feedback_due SET waived_at = $2
     WHERE closed_at IS NULL AND waived_at IS NULL AND due_at > $2
       AND candidacy_id IN (SELECT id FROM candidacy WHERE candidate_id = ANY($1::uuid[]))`,
    [candidateIds, now],
  );
  await manager.query(
    `UPDATE feedback SET summary = '[erased]', idempotency_key = NULL, request_fingerprint = NULL
     WHERE candidacy_id IN (SELECT id FROM candidacy WHERE candidate_id = ANY($1::uuid[]))`,
    [candidateIds],
  );
  await manager.query(
    `UPDATE candidacy SET candidate_id = NULL, promise = NULL,
            finalist_rank = CASE WHEN outcome = 'hired' THEN finalist_rank END,
            reasons = (SELECT coalesce(jsonb_agg(r.value - 'note' ORDER BY r.ordinality), '[]'::jsonb)
                       FROM jsonb_array_elements(reasons) WITH ORDINALITY AS r)
     WHERE candidate_id = ANY($1::uuid[])`,
    [candidateIds],
  );
}
