import { resolve } from 'node:path';
import { Client } from 'pg';
import { EmbeddedDatabase } from '../src/database/embedded-database';

export interface FreshDatabase {
  url: string;
  /** Drops the database and stops the embedded server if one was started. */
  stop(): Promise<void>;
}

/**
 * An empty database named `name` for one benchmark run: on DATABASE_URL's
 * server when set, else on an embedded PostgreSQL with its data in
 * ./data/<dataDir>. A database left by an earlier run is dropped first.
 */
export async function freshDatabase(name: string, dataDir: string): Promise<FreshDatabase> {
  const embedded = process.env.DATABASE_URL ? undefined : new EmbeddedDatabase(resolve(__dirname, '..', 'data', dataDir));
  const server = process.env.DATABASE_URL ?? (await embedded!.start('postgres'));
  const admin = async (sql: string) => {
    const client = new Client({ connectionString: server });
    await client.connect();
    await client.query(sql).finally(() => client.end());
  };
  await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    stop: async () => {
      await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await embedded?.stop();
    },
  };
}
