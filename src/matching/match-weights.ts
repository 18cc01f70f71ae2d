/**
 * How much each signal can add to a match score, in points. The defaults
 * add up to 100; MATCH_WEIGHTS overrides any of them (`gapClosure=25,location=0`).
 * The reasoning behind each default is in the README (docs-draft/matching.md).
 */
export const SIGNALS = ['skills', 'history', 'gapClosure', 'promise', 'recentContact', 'profileUpdate', 'location'] as const;
export type Signal = (typeof SIGNALS)[number];
export type MatchWeights = Record<Signal, number>;

export const DEFAULT_WEIGHTS: MatchWeights = {
  skills: 40,
  history: 15,
  gapClosure: 20,
  promise: 10,
  recentContact: 5,
  profileUpdate: 5,
  location: 5,
};

/** Matches MATCH_WEIGHTS: `signal=points` pairs, comma-separated, points 0-100 with at most one decimal. */
export const WEIGHTS_PATTERN = new RegExp(
  `^\\s*(${SIGNALS.join('|')})\\s*=\\s*(100|\\d{1,2})(\\.\\d)?\\s*(,\\s*(${SIGNALS.join('|')})\\s*=\\s*(100|\\d{1,2})(\\.\\d)?\\s*)*$`,
);

/** The defaults with MATCH_WEIGHTS applied; an empty setting keeps every default. */
export function parseWeights(setting: string): MatchWeights {
  const weights = { ...DEFAULT_WEIGHTS };
  if (!setting.trim()) return weights;
  if (!WEIGHTS_PATTERN.test(setting)) throw new Error(`MATCH_WEIGHTS is not a list of signal=points: ${setting}`);
  for (const pair of setting.split(',')) {
    const [name, points] = pair.split('=').map((part) => part.trim());
    weights[name as Signal] = Number(points);
  }
  return weights;
}

/**
 * Prior process, as a share of the history weight: how far the person got
 * with us before, a medal counting above the stage it was won at.
 */
export const HISTORY_LEVELS = { silver: 5, bronze: 4, final: 3, offer: 3, interview: 2, screening: 1, applied: 0 } as const;
export const HISTORY_TOP_LEVEL = 5;

/** A skill without a level counts as this level (the middle of 1-5): we know they have it, not how well. */
export const UNKNOWN_LEVEL = 3;
export const TOP_LEVEL = 5;

/** Criterion weight at which one closed gap earns the whole gap-closure weight. */
export const GAP_FULL_WEIGHT = 5;

/** Recent contact and profile updates lose their points linearly over this many days. */
export const RECENCY_DAYS = 365;

/** A matching city earns the whole location weight, the same country this share of it. */
export const SAME_COUNTRY_SHARE = 0.6;

/**
 * Timeline entries that count as contact: something happened between the
 * person and us (not internal notes, not a medal recorded afterwards).
 */
export const CONTACT_TYPES = [
  'candidacy_created',
  'stage_changed',
  'decision_recorded',
  'feedback_given',
  'reply_received',
  'consent_granted',
  'profile_updated',
  'interest_changed',
  'resubscribed',
  'match_invited',
  'match_applied',
] as const;
