import { Client } from 'pg';

/** The server the tests use: DATABASE_URL when given, else the embedded one global-setup started. */
export function serverUrl(): string {
  const url = process.env.SILVERPOOL_TEST_SERVER_URL;
  if (!url) throw new Error('global-setup did not run: SILVERPOOL_TEST_SERVER_URL is unset');
  return url;
}

export function databaseUrl(server: string, database: string): string {
  const url = new URL(server);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function withAdminClient<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: databaseUrl(serverUrl(), 'postgres') });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Per run, so overlapping runs on one server do not trip over each other. */
export function templateDatabase(): string {
  return process.env.SILVERPOOL_TEST_TEMPLATE ?? `silverpool_test_template_${process.pid}`;
}
