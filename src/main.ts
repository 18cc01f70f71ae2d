import { INestApplication } from '@nestjs/common';
import { createApp } from './bootstrap';
import { ConfigError, loadConfig } from './config/app-config';
import { resolveDatabaseUrl } from './database/database-url';
import { EmbeddedDatabaseError } from './database/embedded-database';

async function main(): Promise<void> {
  const config = loadConfig();
  const { url, embedded } = await resolveDatabaseUrl(config);
  let app: INestApplication | undefined;
  const shutDown = async (signal: string) => {
    process.stderr.write(`Received ${signal}, shutting down\n`);
    await app?.close();
    await embedded?.stop();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutDown('SIGTERM'));
  process.once('SIGINT', () => void shutDown('SIGINT'));
  try {
    app = await createApp(config, url);
    await app.listen(config.PORT, config.HOST);
    process.stderr.write(
      `Silverpool listening on http://localhost:${config.PORT} (docs at /docs)` +
        (embedded ? `; embedded PostgreSQL data in ${config.DATA_DIR}` : '') + '\n',
    );
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
}

main().catch((error: unknown) => {
  const known = error instanceof ConfigError || error instanceof EmbeddedDatabaseError;
  process.stderr.write(`${known ? (error as Error).message : String((error as Error)?.stack ?? error)}\n`);
  process.exit(1);
});
