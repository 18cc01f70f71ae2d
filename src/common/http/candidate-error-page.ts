import type { Request } from 'express';
import { CANDIDATE_PAGE_PREFIXES } from './candidate-pages';
import { htmlPage } from './html-page';

/** A request to one of the candidates' own pages (`/p/<token>`, ...), which they open from an email in a browser. */
export function isCandidatePage(req: Request): boolean {
  const first = (req.path ?? '').split('/')[1]?.toLowerCase();
  return first !== undefined && CANDIDATE_PAGE_PREFIXES.includes(first);
}

/**
 * What a candidate sees when their page fails in a way the page itself does not handle (the person
 * erased meanwhile, a body the browser did not send, too many attempts, a fault of ours): a page to read,
 * in both languages as the person's is not known here, never the API's problem+json, and nothing of the
 * request (the token) echoed back.
 */
export function candidateErrorPage(status: number): string {
  const [sv, en] =
    status === 429
      ? ['För många försök just nu. Försök igen om en minut.', 'Too many attempts right now. Please try again in a minute.']
      : status >= 500
        ? ['Något gick fel hos oss. Försök igen om en stund.', 'Something went wrong on our side. Please try again in a while.']
        : ['Den här länken fungerar inte längre, eller så kunde sidan inte läsa det som skickades.',
          'This link no longer works, or the page could not read what was sent.'];
  return htmlPage('sv', 'Silverpool', `<p>${sv}</p><p lang="en">${en}</p>`);
}
