import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import { AppConfig } from '../../config/app-config';
import { parsePublicBaseUrl } from '../../config/public-base-url';
import { withoutBasePath } from './base-path.middleware';
import { CANDIDATE_PAGE_ALTERNATIVES } from './candidate-pages';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,100}$/;
/** The candidates' own links (profile, unsubscribe, consent): the token in the path works like a password. */
const CANDIDATE_LINK = new RegExp(`^/(${CANDIDATE_PAGE_ALTERNATIVES})/[^/]+`, 'i');

/** A request target in absolute form (`GET http://host/p/...`), which Node passes on as it came. */
const ABSOLUTE_FORM = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i;

/**
 * A path segment that may be a person's email or name where a client put it in place of an id
 * (`/candidates/alva@example.com`): an @, or anything percent-encoded (spaces, letters such as å).
 * Route words and ids are plain ASCII.
 */
const PERSONAL_SEGMENT = /(?<=\/)[^/]*[@%][^/]*/g;

/**
 * The path of a request as it may be logged: no scheme and host, no query string, no link token, no
 * segment that may name a person, and as routed, without PUBLIC_BASE_URL's path (Express logs the
 * target as it came, before basePathStripper).
 */
export function loggablePath(url: string, basePath = ''): string {
  return (withoutBasePath(url.replace(ABSOLUTE_FORM, ''), basePath).split('?')[0] || '/')
    .replace(CANDIDATE_LINK, '/$1/:token')
    .replace(PERSONAL_SEGMENT, ':redacted');
}

/**
 * JSON lines with a request id. Only the path is logged, without the token
 * of a candidate link: query strings can hold names (`q=`), and bodies and
 * headers can hold emails and API keys.
 */
export function loggerOptions(config: AppConfig): Params {
  const basePath = parsePublicBaseUrl(config.PUBLIC_BASE_URL).path;
  return {
    pinoHttp: {
      level: config.LOG_LEVEL,
      genReqId: (req: IncomingMessage, res: ServerResponse) => {
        const given = req.headers['x-request-id'];
        const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
        res.setHeader('x-request-id', id);
        return id;
      },
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          path: loggablePath(req.url, basePath),
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      autoLogging: { ignore: (req: IncomingMessage) => req.url?.startsWith('/health') ?? false },
    },
  };
}
