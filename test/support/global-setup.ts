import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runMigrations } from '../../src/database/migrate';
import { EmbeddedDatabase } from '../../src/database/embedded-database';
import { databaseUrl, templateDatabase, withAdminClient } from './test-database';

const RUNS_DIR = resolve(__dirname, '..', '..', 'data', 'test-runs');

/**
 * Starts the database server once for the run (an embedded one of its own
 * unless DATABASE_URL names a server), migrates a template database, and
 * lets every test file clone it (CREATE DATABASE ... TEMPLATE).
 */
export default async function globalSetup(): Promise<void> {
  let server = process.env.DATABASE_URL;
  if (!server) {
    removeFinishedRuns();
    const runDir = join(RUNS_DIR, String(process.pid));
    const embedded = new EmbeddedDatabase(runDir);
    server = await embedded.start('postgres');
    Object.assign(globalThis, { embeddedTestDatabase: embedded, embeddedTestDir: runDir });
  }
  process.env.SILVERPOOL_TEST_SERVER_URL = server;
  process.env.SILVERPOOL_TEST_TEMPLATE = `silverpool_test_template_${process.pid}`;
  await withAdminClient(async (client) => {
    await client.query(`DROP DATABASE IF EXISTS "${templateDatabase()}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${templateDatabase()}"`);
  });
  await runMigrations(databaseUrl(server, templateDatabase()));
}

/** Each run has its own cluster (runs may overlap); clean up after runs that were killed. */
function removeFinishedRuns(): void {
  if (!existsSync(RUNS_DIR)) return;
  for (const pid of readdirSync(RUNS_DIR)) {
    if (Number(pid) === process.pid || isAlive(Number(pid))) continue;
    rmSync(join(RUNS_DIR, pid), { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
