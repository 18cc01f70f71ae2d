/**
 * What the candidate row says about nurture at time `now` (a bind
 * placeholder such as `$1`): the same rules as the outbox's gate
 * (email-gate.ts), written as SQL so a whole segment is checked at once.
 * Address suppression is keyed-hashed and stays the outbox's check, at
 * enqueue and again at send.
 */
export function nurtureEligibleSql(now: string, candidate = 'c'): string[] {
  return [
    `${candidate}.status = 'active'`,
    `${candidate}.unsubscribed_at IS NULL`,
    `${candidate}.consent_withdrawn_at IS NULL`,
    `${candidate}.consent_expires_at > ${now}::timestamptz`,
  ];
}

/**
 * Why an active enrollment must end now, or NULL. In this order, so the
 * reason names the strongest cause (an unsubscribed person whose consent
 * also lapsed is "unsubscribed"). A reply counts only if it came after
 * they were enrolled.
 */
export function exitReasonSql(now: string, candidate = 'c', enrollment = 'e'): string {
  return `CASE
    WHEN ${candidate}.unsubscribed_at IS NOT NULL OR ${candidate}.status = 'opted_out' THEN 'unsubscribed'
    WHEN ${candidate}.status = 'hired' THEN 'hired'
    WHEN ${candidate}.status = 'archived' THEN 'archived'
    WHEN ${candidate}.consent_withdrawn_at IS NOT NULL THEN 'consent_withdrawn'
    WHEN ${candidate}.consent_expires_at IS NULL THEN 'no_consent'
    WHEN ${candidate}.consent_expires_at <= ${now}::timestamptz THEN 'consent_expired'
    WHEN EXISTS (SELECT 1 FROM candidate_reply r
                 WHERE r.candidate_id = ${candidate}.id AND r.received_at >= ${enrollment}.enrolled_at) THEN 'replied'
  END`;
}
