import { CampaignStatus } from './campaign.entity';

const ALLOWED: Record<CampaignStatus, readonly CampaignStatus[]> = {
  draft: ['active', 'archived'],
  active: ['paused', 'archived'],
  paused: ['active', 'archived'],
  archived: [],
};

export type TransitionCheck = { ok: true; changes: boolean } | { ok: false; reason: string };

/**
 * Whether a campaign may go from one status to another. Asking for the
 * status it already has is allowed and changes nothing, so pause and
 * resume can be retried safely; archived is final.
 */
export function checkTransition(from: CampaignStatus, to: CampaignStatus): TransitionCheck {
  if (from === 'archived') return { ok: false, reason: 'The campaign is archived; archived campaigns cannot change.' };
  if (from === to) return { ok: true, changes: false };
  if (ALLOWED[from].includes(to)) return { ok: true, changes: true };
  return { ok: false, reason: `${/^[aeiou]/.test(from) ? 'An' : 'A'} ${from} campaign cannot become ${to}.` };
}

/** Steps and audience may change only while nothing is being sent from them. */
export function isEditable(status: CampaignStatus): boolean {
  return status === 'draft' || status === 'paused';
}
