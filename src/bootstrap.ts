import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { DataSource } from 'typeorm';
import { Logger } from 'nestjs-pino';
import { ApiKeyService } from './api-key/api-key.service';
import { AppModule } from './app.module';
import { basePathStripper } from './common/http/base-path.middleware';
import { answerUnparsableRequests } from './common/http/unparsable-requests';
import { describeProblems } from './common/http/openapi-problems';
import { Clock } from './common/time/clock';
import { knowDatabaseTimeZones } from './common/time/time-zone';
import { createValidationPipe } from './common/validation/validation.pipe';
import { AppConfig } from './config/app-config';
import { parsePublicBaseUrl } from './config/public-base-url';
import { trustProxySetting } from './config/trust-proxy';
import { runMigrations } from './database/migrate';
import { memoizeValidationMetadata } from './common/validation/validation-metadata-memo';
import type { Server } from 'node:http';

export interface CreateAppOptions {
  /** Tests pass a clock they can move. */
  clock?: Clock;
}

/** Builds the fully configured application; main.ts and the e2e tests share it. */
/** How long one request may take to arrive: an hour, for bulk imports of large files. */
export const UPLOAD_TIMEOUT_MS = 3_600_000;

export async function createApp(
  config: AppConfig,
  databaseUrl: string,
  options: CreateAppOptions = {},
): Promise<INestApplication> {
  memoizeValidationMetadata();
  await runMigrations(databaseUrl);
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.register(config, databaseUrl, options.clock),
    { bufferLogs: true, bodyParser: false },
  );
  app.useLogger(app.get(Logger));
  // Off unless TRUST_PROXY says which proxies to believe: X-Forwarded-For from anyone else is a client's say-so.
  app.set('trust proxy', trustProxySetting(config.TRUST_PROXY));
  // Every API body is computed per request, and no client sends If-None-Match; Express would still hash each
  // body for a weak ETag (0.2 ms for a 170 kB match list, on the hot path of every request).
  app.set('etag', false);
  // Before any route: a proxy that passes PUBLIC_BASE_URL's path on reaches the same routes as one that strips it.
  app.use(basePathStripper(parsePublicBaseUrl(config.PUBLIC_BASE_URL).path));
  app.use(helmet());
  const origins = config.CORS_ORIGINS.split(',').map((o) => o.trim()).filter(Boolean);
  if (origins.length > 0) app.enableCors({ origin: origins });
  app.useGlobalPipes(createValidationPipe());
  setUpOpenApi(app);
  await app.init();
  // Node ends any request still arriving after 5 minutes (requestTimeout); a bulk import reads its
  // upload only as fast as the database takes the rows, so a large file could be cut off midway.
  // Slow clients are still bounded by headersTimeout (60 s) and the import's own row limits.
  (app.getHttpServer() as Server).requestTimeout = UPLOAD_TIMEOUT_MS;
  answerUnparsableRequests(app.getHttpServer() as Server);
  await app.get(ApiKeyService).ensureAdminKey(config.ADMIN_API_KEY);
  const zones: { name: string }[] = await app.get(DataSource).query(`SELECT name FROM pg_timezone_names`);
  knowDatabaseTimeZones(zones.map((zone) => zone.name));
  return app;
}

function setUpOpenApi(app: INestApplication): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Silverpool')
      .setDescription(
        'Talent-pool CRM for silver medalists. Errors are application/problem+json (RFC 9457); ' +
          'lists are keyset-paginated as { items, nextCursor }.',
      )
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An API key' })
      .build(),
  );
  SwaggerModule.setup('docs', app, describeProblems(document), { jsonDocumentUrl: 'docs-json' });
}
