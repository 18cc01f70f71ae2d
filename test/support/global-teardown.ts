import { rmSync } from 'node:fs';
import { EmbeddedDatabase } from '../../src/database/embedded-database';
import { templateDatabase, withAdminClient } from './test-database';

export default async function globalTeardown(): Promise<void> {
  await withAdminClient((client) => client.query(`DROP DATABASE IF EXISTS "${templateDatabase()}" WITH (FORCE)`));
  const { embeddedTestDatabase, embeddedTestDir } = globalThis as { embeddedTestDatabase?: EmbeddedDatabase; embeddedTestDir?: string };
  await embeddedTestDatabase?.stop();
  if (embeddedTestDir) rmSync(embeddedTestDir, { recursive: true, force: true });
}
