import { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { ApiKeyService } from '../../src/api-key/api-key.service';
import { createApp } from '../../src/bootstrap';
import { Role } from '../../src/common/auth/roles';
import { loadConfig } from '../../src/config/app-config';
import { FakeClock } from './fake-clock';
import { databaseUrl, serverUrl, templateDatabase, withAdminClient } from './test-database';

export const TEST_ADMIN_KEY = 'sp_test_admin_key_0123456789abcdef';

export interface TestApp {
  app: INestApplication;
  clock: FakeClock;
  databaseUrl: string;
  /** supertest bound to the app. */
  http: () => ReturnType<typeof request>;
  /** Authorization headers for a fresh key with the role. */
  keyFor(role: Role): Promise<{ Authorization: string }>;
  admin: { Authorization: string };
  close(): Promise<void>;
}

/** A fresh database cloned from the migrated template, and the real AppModule on it. */
export async function createTestDatabase(): Promise<string> {
  const name = `silverpool_test_${randomBytes(6).toString('hex')}`;
  await withAdminClient((client) => client.query(`CREATE DATABASE "${name}" TEMPLATE "${templateDatabase()}"`));
  return databaseUrl(serverUrl(), name);
}

export async function dropTestDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  await withAdminClient((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

export interface TestAppOptions {
  /** Share a database with another instance instead of cloning a fresh one. */
  databaseUrl?: string;
  /** Real time instead of the FakeClock (for schedulers running on their own). */
  realClock?: boolean;
}

/** Scheduled work is off unless a test turns it on; tests call the services instead. */
export async function startTestApp(env: Record<string, string> = {}, options: TestAppOptions = {}): Promise<TestApp> {
  const existingDatabaseUrl = options.databaseUrl;
  const url = existingDatabaseUrl ?? (await createTestDatabase());
  const clock = new FakeClock();
  const config = loadConfig({
    ADMIN_API_KEY: TEST_ADMIN_KEY,
    RATE_LIMIT_PER_MINUTE: '0',
    LOG_LEVEL: 'silent',
    SCHEDULER_ENABLED: 'false',
    // Short-lived apps by the dozen: opening and preparing ten connections each would double the suite's time.
    DATABASE_PREPARE_POOL: 'false',
    DATABASE_URL: url,
    ...env,
  });
  const app = await createApp(config, url, options.realClock ? {} : { clock });
  const server = app.getHttpServer();
  return {
    app,
    clock,
    databaseUrl: url,
    http: () => request(server),
    admin: { Authorization: `Bearer ${TEST_ADMIN_KEY}` },
    async keyFor(role: Role) {
      const { key } = await app.get(ApiKeyService).create(`test ${role}`, role);
      return { Authorization: `Bearer ${key}` };
    },
    async close() {
      await app.close();
      if (!existingDatabaseUrl) await dropTestDatabase(url);
    },
  };
}
