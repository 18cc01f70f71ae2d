import { Locale } from '../config/app-config';
import { deepMerge } from './template-data';

/**
 * Every email the product sends, with the data each one reads. The field
 * lists are the contract between a template and its caller: stored
 * overrides are checked against them, and `sample` is what a preview (and
 * the save-time check) renders with.
 *
 * Field paths: `a.b` is a property, `list[]` an array of text,
 * `list[].name` a property of each array item.
 */
export const TEMPLATE_KEYS = [
  'application_received',
  'screening_feedback',
  'feedback_followup',
  'nurture_checkin',
  'new_role_invitation',
  'consent_request',
  'consent_renewal',
  'feedback_digest',
  'match_digest',
] as const;
export type TemplateKey = (typeof TEMPLATE_KEYS)[number];

export type TemplateAudience = 'candidate' | 'staff';

export interface TemplateDefinition {
  audience: TemplateAudience;
  description: string;
  /**
   * Must be present (not null): the renderer refuses data without them, and
   * strict mode makes a misspelt `{{field}}` an error instead of blank text.
   */
  required: readonly string[];
  /**
   * May be absent, so templates use them inside `{{#if field}}` (strict mode
   * does not check helper arguments). The renderer creates their parent
   * objects so the guard never reads through undefined, and saving an
   * override renders it once without them to prove every use is guarded.
   */
  optional: readonly string[];
  /** English sample data for previews and the save-time trial render. */
  sample: Record<string, unknown>;
  /** Free text in the sample, in another language, so a Swedish preview reads as Swedish throughout. */
  localizedSample?: Partial<Record<Locale, Record<string, unknown>>>;
}

/** The sample a preview of `key` in `locale` starts from. */
export function sampleData(key: TemplateKey, locale: Locale): Record<string, unknown> {
  const definition = TEMPLATE_DEFINITIONS[key];
  return deepMerge(definition.sample, definition.localizedSample?.[locale] ?? {});
}

export function isTemplateKey(value: string): value is TemplateKey {
  return (TEMPLATE_KEYS as readonly string[]).includes(value);
}

/** What every candidate email gets; `links.unsubscribe` is only given where the email is optional (nurture). */
const CANDIDATE_REQUIRED = ['candidate.firstName', 'candidate.fullName', 'company.name'] as const;
const CANDIDATE_OPTIONAL = ['links.unsubscribe', 'links.profile'] as const;

const SAMPLE_CANDIDATE = {
  candidate: { firstName: 'Alva', fullName: 'Alva Lindqvist' },
  company: { name: 'Norrsken Software' },
  links: { profile: 'https://jobs.example.com/p/sample-profile' },
};
const SAMPLE_RECRUITER = { recruiter: { name: 'Johan Berg' } };
const SAMPLE_VACANCY = { vacancy: { title: 'Backend Engineer', team: 'Payments', location: 'Stockholm (hybrid)' } };

function candidateEmail(
  description: string,
  required: readonly string[],
  optional: readonly string[],
  sample: Record<string, unknown>,
  swedishSample?: Record<string, unknown>,
): TemplateDefinition {
  return {
    audience: 'candidate',
    description,
    required: [...CANDIDATE_REQUIRED, ...required],
    optional: [...CANDIDATE_OPTIONAL, ...optional],
    sample: deepMerge(SAMPLE_CANDIDATE, sample),
    localizedSample: swedishSample ? { sv: swedishSample } : undefined,
  };
}

export const TEMPLATE_DEFINITIONS: Record<TemplateKey, TemplateDefinition> = {
  application_received: candidateEmail(
    'Feedback ladder, step 1: warm confirmation of an application with a clear date for the decision.',
    ['vacancy.title', 'decisionDate', 'recruiter.name'],
    [],
    { ...SAMPLE_VACANCY, ...SAMPLE_RECRUITER, decisionDate: '2026-03-20' },
  ),
  screening_feedback: candidateEmail(
    'Feedback ladder, step 2: after a phone screen, a short personal reason from the recruiter.',
    ['vacancy.title', 'personalMessage', 'recruiter.name'],
    [],
    {
      ...SAMPLE_VACANCY,
      ...SAMPLE_RECRUITER,
      personalMessage:
        'We are looking for someone with more hands-on experience running PostgreSQL in production.',
    },
    { personalMessage: 'Vi söker någon med mer praktisk erfarenhet av att driva PostgreSQL i produktion.' },
  ),
  feedback_followup: candidateEmail(
    'Feedback ladder, step 3: the written follow-up after detailed feedback by phone.',
    ['vacancy.title', 'summary', 'gapSkills[]', 'recruiter.name'],
    ['promise'],
    {
      ...SAMPLE_VACANCY,
      ...SAMPLE_RECRUITER,
      summary: 'Your system design case was one of the strongest we saw, and the team enjoyed the discussion.',
      gapSkills: ['Kafka', 'event sourcing'],
      promise: 'We will contact you first when we open the next backend role this autumn.',
    },
    {
      summary: 'Ditt case om systemdesign var ett av de starkaste vi såg, och teamet uppskattade verkligen diskussionen.',
      gapSkills: ['Kafka', 'event sourcing'],
      promise: 'Vi hör av oss till dig först när vi öppnar nästa backendroll i höst.',
    },
  ),
  nurture_checkin: candidateEmail(
    'Periodic check-in with someone in the talent pool.',
    ['links.stillInterested'],
    [],
    {
      links: {
        stillInterested: 'https://jobs.example.com/i/sample-still-interested',
        unsubscribe: 'https://jobs.example.com/u/sample-unsubscribe',
      },
    },
  ),
  new_role_invitation: candidateEmail(
    'Invites someone in the pool to a new vacancy they match.',
    ['vacancy.title', 'vacancy.team', 'vacancy.location', 'reason', 'links.interested'],
    [],
    {
      ...SAMPLE_VACANCY,
      reason: 'You have since worked with Kafka, which was exactly what we missed last time.',
      links: { interested: 'https://jobs.example.com/i/sample-interested' },
    },
    { reason: 'Du har sedan dess jobbat med Kafka, vilket var precis det vi saknade förra gången.' },
  ),
  consent_request: candidateEmail(
    'Asks a finalist for consent to keep them in the talent pool.',
    ['links.consent', 'expiresOn'],
    [],
    { links: { consent: 'https://jobs.example.com/c/sample-consent' }, expiresOn: '2027-03-02' },
  ),
  consent_renewal: candidateEmail(
    'Asks someone in the pool to renew consent before it expires.',
    ['links.consent', 'expiresOn'],
    [],
    { links: { consent: 'https://jobs.example.com/c/sample-consent' }, expiresOn: '2026-04-01' },
  ),
  feedback_digest: {
    audience: 'staff',
    description:
      'Recruiter digest of feedback that is overdue or due soon. daysLate is 0 when not yet due. decisionsOverdue: people still '
      + 'in process after the decision date their confirmation promised. items may be empty when the '
      + 'digest only lists those, or privacyRequests: data-subject requests past their legal deadline, sent to PRIVACY_CONTACT_EMAIL.',
    required: [
      'recipient.name',
      'items[].candidateName',
      'items[].vacancyTitle',
      'items[].stage',
      'items[].dueAt',
      'items[].daysLate',
    ],
    optional: [
      'decisionsOverdue[].candidateName',
      'decisionsOverdue[].vacancyTitle',
      'decisionsOverdue[].stage',
      'decisionsOverdue[].promisedBy',
      'decisionsOverdue[].daysLate',
      'itemsMore',
      'decisionsMore',
      'privacyRequests[].kind',
      'privacyRequests[].receivedAt',
      'privacyRequests[].dueOn',
      'privacyRequests[].daysOverdue',
    ],
    sample: {
      recipient: { name: 'Johan Berg' },
      items: [
        { candidateName: 'Alva Lindqvist', vacancyTitle: 'Backend Engineer', stage: 'Phone screen', dueAt: '2026-02-27', daysLate: 3 },
        { candidateName: 'Omar Haddad', vacancyTitle: 'Data Engineer', stage: 'Final interview', dueAt: '2026-03-04', daysLate: 0 },
      ],
      decisionsOverdue: [
        { candidateName: 'Wera Nilsson', vacancyTitle: 'Backend Engineer', stage: 'Interview', promisedBy: '2026-02-20', daysLate: 8 },
      ],
      privacyRequests: [
        { kind: 'Erasure', receivedAt: '2026-01-20T09:30:00Z', dueOn: '2026-02-20', daysOverdue: 10 },
      ],
    },
    localizedSample: {
      sv: {
        items: [
          { candidateName: 'Alva Lindqvist', vacancyTitle: 'Backend Engineer', stage: 'Telefonintervju', dueAt: '2026-02-27', daysLate: 3 },
          { candidateName: 'Omar Haddad', vacancyTitle: 'Data Engineer', stage: 'Slutintervju', dueAt: '2026-03-04', daysLate: 0 },
        ],
        decisionsOverdue: [
          { candidateName: 'Wera Nilsson', vacancyTitle: 'Backend Engineer', stage: 'Intervju', promisedBy: '2026-02-20', daysLate: 8 },
        ],
        privacyRequests: [
          { kind: 'Radering', receivedAt: '2026-01-20T09:30:00Z', dueOn: '2026-02-20', daysOverdue: 10 },
        ],
      },
    },
  },
  match_digest: {
    audience: 'staff',
    description: 'New strong matches in the pool for a vacancy. promise marks people we promised to contact first.',
    required: [
      'recipient.name',
      'vacancy.title',
      'matches[].candidateName',
      'matches[].score',
      'matches[].explanation',
      'matches[].promise',
    ],
    optional: ['more'],
    sample: {
      recipient: { name: 'Johan Berg' },
      vacancy: { title: 'Backend Engineer' },
      matches: [
        { candidateName: 'Alva Lindqvist', score: 92, explanation: 'Closed the Kafka gap; 4 of 5 must-have skills.', promise: true },
        { candidateName: 'Omar Haddad', score: 78, explanation: 'PostgreSQL and Go at level 4.', promise: false },
      ],
    },
    localizedSample: {
      sv: {
        matches: [
          { candidateName: 'Alva Lindqvist', score: 92, explanation: 'Har stängt gapet i Kafka; 4 av 5 måste-kompetenser.', promise: true },
          { candidateName: 'Omar Haddad', score: 78, explanation: 'PostgreSQL och Go på nivå 4.', promise: false },
        ],
      },
    },
  },
};
