import { BusinessCalendar, businessDeadline, Deadline } from './business-days';
import { Stage, STAGES } from './candidacy-stages';

export const FEEDBACK_CHANNELS = ['email', 'phone', 'video', 'in_person'] as const;
export type FeedbackChannel = (typeof FEEDBACK_CHANNELS)[number];

/** Who owes the feedback; `recruiter` falls back to the hiring manager when a vacancy has no recruiter. */
export const FEEDBACK_OWNERS = ['recruiter', 'hiring_manager'] as const;
export type FeedbackOwner = (typeof FEEDBACK_OWNERS)[number];

/** The templates feedback given by email can be sent with. */
export const FEEDBACK_EMAIL_TEMPLATES = ['screening_feedback', 'feedback_followup'] as const;
export type FeedbackEmailTemplate = (typeof FEEDBACK_EMAIL_TEMPLATES)[number];

/** What a candidate rejected at one stage is owed. */
export interface FeedbackRung {
  /** false: a rejection at this stage creates no deadline. */
  owed: boolean;
  channel: FeedbackChannel;
  withinBusinessDays: number;
  /** After feedback by phone, video or in person, a short written summary email follows. */
  writtenFollowUp: boolean;
  owner: FeedbackOwner;
  /** The template feedback given by email at this stage is sent with. */
  emailTemplate: FeedbackEmailTemplate;
}

export interface FeedbackPolicy {
  /** A new application gets a warm confirmation with the expected decision date, at once. */
  confirmation: { enabled: boolean };
  /** Per stage the candidate was rejected at. */
  rejection: Record<Stage, FeedbackRung>;
  /** ISO dates that are not business days (weekends never are). */
  publicHolidays: string[];
  /** An open item is "due soon" when its deadline is within this many business days. */
  dueSoonBusinessDays: number;
}

const personalEmail: FeedbackRung = {
  owed: true, channel: 'email', withinBusinessDays: 5, writtenFollowUp: false, owner: 'recruiter', emailTemplate: 'screening_feedback',
};
const phoneCall: FeedbackRung = {
  owed: true, channel: 'phone', withinBusinessDays: 3, writtenFollowUp: true, owner: 'hiring_manager', emailTemplate: 'feedback_followup',
};

/** The ladder of DESIGN.md: confirmation at once; a personal email after screening; a call with a written follow-up later on. */
export const DEFAULT_FEEDBACK_POLICY: FeedbackPolicy = {
  confirmation: { enabled: true },
  rejection: { applied: personalEmail, screening: personalEmail, interview: phoneCall, final: phoneCall, offer: phoneCall },
  publicHolidays: [],
  dueSoonBusinessDays: 1,
};

export function calendarOf(policy: FeedbackPolicy, timeZone: string): BusinessCalendar {
  return { timeZone, holidays: new Set(policy.publicHolidays) };
}

/** The rung and deadline a rejection at `stage` owes, or null when the policy owes nothing there. */
export function feedbackOwed(
  policy: FeedbackPolicy,
  stage: Stage,
  decidedAt: Date,
  timeZone: string,
): { rung: FeedbackRung; deadline: Deadline } | null {
  const rung = policy.rejection[stage];
  if (!rung.owed) return null;
  return { rung, deadline: businessDeadline(decidedAt, rung.withinBusinessDays, calendarOf(policy, timeZone)) };
}

/** A stored policy from an older version may miss newer fields; the defaults fill them. */
export function withDefaults(stored: Partial<FeedbackPolicy> | null | undefined): FeedbackPolicy {
  const rejection = Object.fromEntries(
    STAGES.map((stage) => [stage, { ...DEFAULT_FEEDBACK_POLICY.rejection[stage], ...(stored?.rejection?.[stage] ?? {}) }]),
  ) as Record<Stage, FeedbackRung>;
  return {
    confirmation: { ...DEFAULT_FEEDBACK_POLICY.confirmation, ...(stored?.confirmation ?? {}) },
    rejection,
    publicHolidays: stored?.publicHolidays ?? DEFAULT_FEEDBACK_POLICY.publicHolidays,
    dueSoonBusinessDays: stored?.dueSoonBusinessDays ?? DEFAULT_FEEDBACK_POLICY.dueSoonBusinessDays,
  };
}
