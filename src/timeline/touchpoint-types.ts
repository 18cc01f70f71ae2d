/**
 * Every kind of timeline entry and the payload it carries. One table with
 * a type and a typed jsonb payload (DESIGN.md, convention 7).
 */
export interface TouchpointPayloads {
  candidacy_created: { candidacyId: string; vacancyId: string; vacancyTitle: string; stage: string };
  stage_changed: { candidacyId: string; vacancyId: string; from: string; to: string };
  decision_recorded: {
    candidacyId: string; vacancyId: string; outcome: string; stage: string;
    finalistRank?: number | null; reasons?: unknown; gapSkills?: string[]; promise?: unknown;
    /** Set when closing the vacancy rejected everyone still in process. */
    closedAs?: 'filled' | 'cancelled';
  };
  feedback_given: { candidacyId: string; feedbackId: string; stage: string; channel: string; summary: string; gapSkills: string[]; givenBy: string };
  medal_awarded: { vacancyId: string; vacancyTitle: string; medal: 'silver' | 'bronze'; rank: number; gapSkills?: string[] };
  note_added: { text: string };
  reply_received: { channel: string; summary: string | null };
  consent_granted: { consentId: string; scope: string; source: string; textVersion: string; expiresAt: string };
  consent_withdrawn: { scope: string; via: string };
  unsubscribed: { via: string };
  resubscribed: { via: string };
  profile_updated: { fields: string[]; via: string };
  match_invited: { matchId: string; vacancyId: string };
  match_dismissed: { matchId: string; vacancyId: string; reason: string };
  /** The candidate said yes to an invitation through their own link. */
  match_applied: { matchId: string; vacancyId: string; via: string };
  /** "open to offers" or "not right now", from the candidate's profile page. */
  interest_changed: { interest: 'open' | 'not_now'; via: string; pausedUntil?: string | null };
}

export type TouchpointType = keyof TouchpointPayloads;

/** Emails are not copied into the timeline; they are read from the outbox (see TimelineService). */
export type TimelineItemType = TouchpointType | 'email';
