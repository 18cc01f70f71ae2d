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
      return sendProblem(req, res, problemFor('ValidationFailed', 'The request body could not be read.'));
    });
}

export function bodyParsers(limit: string): RequestHandler[] {
  return [
    withProblemErrors(json({ limit })),
    withProblemErrors(urlencoded({ limit, extended: false })),
  ];
}
