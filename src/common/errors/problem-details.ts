import type { Request, Response } from 'express';
import { candidateErrorPage, isCandidatePage } from '../http/candidate-error-page';
import { ERROR_CODES, ErrorCode } from './error-codes';

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  instance?: string;
  requestId?: string;
  [extension: string]: unknown;
}

const kebab = (code: string) => code.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase();

export function problemFor(
  code: ErrorCode,
  detail: string,
  extra: Record<string, unknown> = {},
): ProblemDetails {
  const { status, title } = ERROR_CODES[code];
  // The members RFC 9457 defines come last: an extension named `status` (an email's, a campaign's) would
  // otherwise replace the HTTP status, and Express fail on it.
  return { ...extra, type: `urn:silverpool:problem:${kebab(code)}`, title, status, detail, code };
}

/**
 * Writes an RFC 9457 body; used by the exception filter and by middleware that runs before Nest. On the
 * candidates' own pages, a page for a person instead (candidateErrorPage), with the same status.
 */
export function sendProblem(req: Request, res: Response, problem: ProblemDetails): void {
  if (isCandidatePage(req)) {
    res.status(problem.status).set('Cache-Control', 'no-store').type('html').send(candidateErrorPage(problem.status));
    return;
  }
  const requestId = (req as Request & { id?: string }).id;
  res
    .status(problem.status)
    .type('application/problem+json')
    .send(JSON.stringify({ ...problem, instance: req.originalUrl?.split('?')[0], requestId }));
}
