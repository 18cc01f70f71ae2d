/**
 * Everything the audit log records. Details carry ids, field names,
 * reasons and counts only: never a name, an email, a phone number or free
 * text someone typed.
 */
export const AUDIT_ACTIONS = [
  'candidate_created',
  'candidate_read',
  'candidate_updated',
  'candidate_exported',
  'candidate_erased',
  'consent_granted',
  'consent_renewed',
  'consent_withdrawn',
  'consent_expired',
  'privacy_request_created',
  'privacy_request_updated',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** The fields a create or an update was given (not their values): what the audit says was changed. */
export function givenFields(input: object): string[] {
  return Object.entries(input).filter(([, value]) => value !== undefined).map(([field]) => field).sort();
}

export type AuditDetailValue = string | number | boolean | null | string[];
export type AuditDetails = Record<string, AuditDetailValue>;
