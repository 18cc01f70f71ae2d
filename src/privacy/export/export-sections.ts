/**
 * Every table that holds candidate data (derived from the schema, see
 * candidate-data-tables.ts) and the name of its section in an export, in
 * export order. The export includes any such table even when it is
 * missing here (under its table name), but the export test fails until it
 * is added: adding it is the moment to check that erasure removes the
 * table's rows or makes them anonymous, and to describe it in the privacy
 * documentation.
 */
export const EXPORT_SECTIONS: Readonly<Record<string, string>> = {
  candidate_former_identity: 'formerIdentities',
  candidate_skill: 'skills',
  consent: 'consents',
  consent_renewal_request: 'consentRenewalRequests',
  candidacy: 'candidacies',
  candidacy_stage_change: 'candidacyStages',
  candidacy_gap_skill: 'decisionGaps',
  feedback: 'feedbackGiven',
  feedback_due: 'feedbackDeadlines',
  medal: 'medals',
  email: 'emails',
  candidate_reply: 'replies',
  enrollment: 'campaignEnrollments',
  touchpoint: 'timeline',
  vacancy_match: 'matches',
  candidate_interest: 'interest',
  privacy_request: 'privacyRequests',
};

/** The candidate row itself. */
export const PROFILE_SECTION = 'profile';

/** Data about the person kept without a candidate foreign key. */
export const EXTRA_SECTIONS = {
  /** Whether their address is on the suppression list (stored only as a keyed hash). */
  emailSuppression: 'suppression',
  /** Staff emails (e.g. feedback digests) that mention them: listed, not copied, as they also name other people. */
  staffEmailMentions: 'email (staff)',
  /** Who read, exported or changed their data, and their consent events. */
  accessLog: 'audit_log',
} as const;

/** Lookup tables whose names or titles make ids in the export readable; API key names are internal. */
export const NOT_REFERENCED = new Set(['api_key']);
