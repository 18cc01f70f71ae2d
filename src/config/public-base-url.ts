import { CANDIDATE_PAGE_PREFIXES } from '../common/http/candidate-pages';

/** PUBLIC_BASE_URL taken apart: the origin for emails, the path (a reverse proxy's sub-path) for everything. */
export interface PublicBase {
  /** `https://jobs.example.com` */
  origin: string;
  /** `''` or `/talent`: never a trailing slash, so `${path}/u/...` is always one slash. */
  path: string;
}

/**
 * The first path segments of the service's own routes (the API, health, the OpenAPI document, the
 * candidates' pages), in lower case as Express matches them. A base path beginning with one would be
 * taken off requests meant for those routes (basePathStripper), so /p/<token> would lose its /p.
 */
const OWN_ROUTES = new Set(['api', 'health', 'docs', 'docs-json', ...CANDIDATE_PAGE_PREFIXES]);

/**
 * Why the value cannot be PUBLIC_BASE_URL, or null when it can. Every candidate link appends its own
 * path to it, so a query string or fragment would end up in the middle of the link, and a user name
 * or password would be sent to every candidate.
 */
export function publicBaseUrlProblem(value: string): string | null {
  if (!/^https?:\/\//i.test(value)) return 'must be an http(s) URL such as https://jobs.example.com or https://jobs.example.com/talent';
  if (/[?#]/.test(value)) return 'must not have a query string or fragment (? or #): the links add their own path after it';
  if (/\s/.test(value)) return 'must not contain spaces';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an http(s) URL such as https://jobs.example.com or https://jobs.example.com/talent';
  }
  if (url.username || url.password) return 'must not carry a user name or password';
  // `//talent` in a form's action would be read as another host, "talent".
  if (url.pathname.includes('//')) return 'must not have an empty path segment (//)';
  const first = url.pathname.split('/')[1]?.toLowerCase();
  if (first && OWN_ROUTES.has(first)) {
    return `must not start its path with /${first}: the service's own routes begin so, and a request naming the path is served without it`;
  }
  return null;
}

/** A PUBLIC_BASE_URL that passed publicBaseUrlProblem, taken apart. */
export function parsePublicBaseUrl(value: string): PublicBase {
  const url = new URL(value);
  return { origin: url.origin, path: url.pathname.replace(/\/+$/, '') };
}
