import { consentState } from '../candidate/consent-state';
import { EmailCategory } from './email.entity';
import { SuppressionReason } from './suppression.service';

export interface RecipientState {
  status: string;
  unsubscribedAt: Date | null;
  consentExpiresAt: Date | null;
  consentWithdrawnAt: Date | null;
}

/**
 * Why this email must not go to this person now, or null if it may.
 * Checked when the email is queued and again just before it is sent.
 * Nurture needs an active candidate with valid talent-pool consent who has
 * not unsubscribed; mail about a live application only needs the address
 * not to be blocked (bounced, complained, erased): unsubscribing from
 * nurture does not stop the feedback a candidate is owed.
 */
export function blockReason(
  recipient: RecipientState | undefined,
  category: EmailCategory,
  now: Date,
  suppression?: SuppressionReason,
): string | null {
  if (suppression && (category === 'nurture' || suppression !== 'unsubscribed')) {
    return `address suppressed (${suppression})`;
  }
  if (category !== 'nurture') return null;
  if (!recipient) return 'candidate no longer exists';
  if (recipient.unsubscribedAt) return 'candidate unsubscribed';
  if (recipient.status !== 'active') return `candidate is ${recipient.status}`;
  const consent = consentState(recipient.consentExpiresAt, recipient.consentWithdrawnAt, now);
  if (consent.state !== 'valid') return `talent-pool consent is ${consent.state}`;
  return null;
}
