import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { bodyParsers } from './body-parsers';

/**
 * The JSON and form parsers, as middleware after the request logger (imported after LoggerModule): a body
 * that cannot be parsed is answered with the request's id and logged like any other request. The import
 * reads its upload as a stream itself, whatever it claims to be: parsed here as JSON, a CSV sent as
 * application/json was a 400 "not JSON" rather than the import's 415 naming the types it takes.
 */
@Module({})
export class BodyParsersModule implements NestModule {
  constructor(private readonly config: AppConfig) {}

  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(...bodyParsers(this.config.BODY_LIMIT))
      .exclude({ path: 'api/v1/candidates/import', method: RequestMethod.POST })
      .forRoutes({ path: '*', method: RequestMethod.ALL });
  }
}
