import { CANDIDATE_PAGE_ALTERNATIVES } from '../common/http/candidate-pages';

/** A candidate's own link in a rendered email: /p/, /u/, /c/ or /consent/ and its signed token. */
const CANDIDATE_LINK_TOKEN = new RegExp(`/(${CANDIDATE_PAGE_ALTERNATIVES})/[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+`, 'g');

/**
 * The email as a reader of the outbox may see it: the links to the
 * candidate's own pages keep their path but lose their token. The token
 * acts as the candidate (it changes their profile, consent, subscription),
 * so an API key that may read the outbox must not be able to use it.
 */
export function withoutLinkTokens(text: string): string {
  return text.replace(CANDIDATE_LINK_TOKEN, '/$1/[token]');
}
