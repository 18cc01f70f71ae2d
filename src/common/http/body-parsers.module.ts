import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { IMPORT_ROUTE } from '../../candidate/import/import-route';
import { AppConfig } from '../../config/app-config';
import { bodyParsers } from './body-parsers';

/** The import reads its upload as a stream itself, whatever it claims to be. */
const importsItsOwnBody = (req: Request) => req.method === 'POST' && req.path.toLowerCase().replace(/\/$/, '') === `/${IMPORT_ROUTE}`;

/**
 * Parsed here as JSON, a CSV sent as application/json was a 400 "not JSON" rather than the import's 415
 * naming the types it takes. Decided on the routed path (req.path, after basePathStripper): Nest's own
 * exclude() reads the URL as it came, so behind a proxy that passes PUBLIC_BASE_URL's path on it missed.
 */
const exceptOnImport = (parser: RequestHandler): RequestHandler => (req: Request, res: Response, next: NextFunction) =>
  importsItsOwnBody(req) ? next() : parser(req, res, next);

/**
 * The JSON and form parsers, as module middleware: they run after the request logger (nestjs-pino's global
 * module, whose middleware Nest applies before other modules'), so a body that cannot be parsed is answered
 * with the request's id and logged like any other request.
 */
@Module({})
export class BodyParsersModule implements NestModule {
  constructor(private readonly config: AppConfig) {}

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(...bodyParsers(this.config.BODY_LIMIT).map(exceptOnImport)).forRoutes({ path: '*', method: RequestMethod.ALL });
  }
}
