/**
 * The first path segment of each page candidates reach from an email, without an API key: a signed
 * token follows it (`/u/<token>`). The routes, the request log's and the outbox's token redaction, and
 * the check that PUBLIC_BASE_URL's path does not shadow them all read this one list.
 */
export const CANDIDATE_PAGES = {
  profile: 'p',
  unsubscribe: 'u',
  contactConsent: 'c',
  consentRenewal: 'consent',
} as const;

export const CANDIDATE_PAGE_PREFIXES: readonly string[] = Object.values(CANDIDATE_PAGES);

/** `p|u|c|consent`, for a regular expression (the prefixes are plain letters). */
export const CANDIDATE_PAGE_ALTERNATIVES = CANDIDATE_PAGE_PREFIXES.join('|');
