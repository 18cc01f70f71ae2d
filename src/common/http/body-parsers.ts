import { json, urlencoded } from 'express';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { problemFor, sendProblem } from '../errors/problem-details';

/**
 * body-parser errors happen before Nest's exception filters run, so they
 * are turned into problem+json here.
 */
function withProblemErrors(parser: RequestHandler): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) =>
    parser(req, res, (error?: unknown) => {
      if (!error) return next();
      const type = (error as { type?: string }).type;
      if (type === 'entity.too.large') {
        return sendProblem(req, res, problemFor('PayloadTooLarge', 'The request body exceeds the size limit.'));
      }
      if (type === 'entity.parse.failed') {
        return sendProblem(req, res, problemFor('MalformedBody', 'The request body could not be parsed as JSON.'));
      }
      if (type === 'charset.unsupported' || type === 'encoding.unsupported') {
        return sendProblem(req, res, problemFor('UnsupportedMediaType', 'Send the body in UTF-8 (charset=utf-8), uncompressed or as gzip, deflate or br.'));
      }
      if (type === 'entity.verify.failed') {
        return sendProblem(req, res, problemFor('MalformedBody', (error as Error).message));
      }
      return sendProblem(req, res, problemFor('ValidationFailed', 'The request body could not be read.'));
    });
}

/**
 * A form body whose %-escapes are not UTF-8 (%ED%A0%80, %C0%AF: no browser sends them). The parser keeps
 * such a value as the escapes themselves, so "%C0%AF" was stored as a skill named "c0 af".
 */
function refuseBrokenPercentEncoding(_req: unknown, _res: unknown, body: Buffer, encoding: string): void {
  // A form declared in another charset (iso-8859-1) is decoded as that by the parser: %F6 is ö there.
  if (encoding !== 'utf-8') return;
  try {
    decodeURIComponent(body.toString('utf8'));
  } catch {
    throw new Error('The form body is not valid percent-encoded UTF-8.');
  }
}

export function bodyParsers(limit: string): RequestHandler[] {
  return [
    withProblemErrors(json({ limit })),
    withProblemErrors(urlencoded({ limit, extended: false, verify: refuseBrokenPercentEncoding })),
  ];
}
