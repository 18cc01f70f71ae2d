import { EmbeddedDatabase } from '../../src/database/embedded-database';
import { TEMPLATE_DATABASE, withAdminClient } from './test-database';

export default async function globalTeardown(): Promise<void> {
  await withAdminClient((client) => client.query(`DROP DATABASE IF EXISTS "${TEMPLATE_DATABASE}" WITH (FORCE)`));
  await (globalThis as { embeddedTestDatabase?: EmbeddedDatabase }).embeddedTestDatabase?.stop();
}
