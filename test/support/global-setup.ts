import { resolve } from 'node:path';
import { runMigrations } from '../../src/database/migrate';
import { EmbeddedDatabase } from '../../src/database/embedded-database';
import { databaseUrl, TEMPLATE_DATABASE, withAdminClient } from './test-database';

/**
 * Starts the database server once for the run (the embedded one unless
 * DATABASE_URL names a server), migrates a template database, and lets
 * every test file clone it (CREATE DATABASE ... TEMPLATE).
 */
export default async function globalSetup(): Promise<void> {
  let server = process.env.DATABASE_URL;
  if (!server) {
    const embedded = new EmbeddedDatabase(resolve(__dirname, '..', '..', 'data', 'test'));
    server = await embedded.start('postgres');
    (globalThis as { embeddedTestDatabase?: EmbeddedDatabase }).embeddedTestDatabase = embedded;
  }
  process.env.SILVERPOOL_TEST_SERVER_URL = server;
  await withAdminClient(async (client) => {
    const stale = await client.query(
      `SELECT datname FROM pg_database WHERE datname = $1 OR datname LIKE 'silverpool_test_%'`,
      [TEMPLATE_DATABASE],
    );
    for (const { datname } of stale.rows) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${TEMPLATE_DATABASE}"`);
  });
  await runMigrations(databaseUrl(server, TEMPLATE_DATABASE));
}
