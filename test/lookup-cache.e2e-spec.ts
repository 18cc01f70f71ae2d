import { Client } from 'pg';
import { addCandidate } from './support/pool';
import { startTestApp, TestApp } from './support/test-app';

/**
 * Two instances on one database, each caching API keys and skill names
 * for an hour (LOOKUP_CACHE_SECONDS): only the change notifications can
 * make the second one see what the first changed.
 */
describe('Lookup caches across instances', () => {
  let first: TestApp;
  let second: TestApp;
  let sql: Client;
  beforeAll(async () => {
    first = await startTestApp({ LOOKUP_CACHE_SECONDS: '3600' });
    second = await startTestApp({ LOOKUP_CACHE_SECONDS: '3600' }, { databaseUrl: first.databaseUrl });
    sql = new Client({ connectionString: first.databaseUrl });
    await sql.connect();
  });
  afterAll(async () => {
    await sql.end();
    await second.close();
    await first.close();
  });

  /** Changes a table without firing its triggers: no notification, as if it had been missed. */
  const silently = async (statement: string, params: unknown[]) => {
    await sql.query('BEGIN');
    await sql.query('SET LOCAL session_replication_role = replica');
    await sql.query(statement, params);
    await sql.query('COMMIT');
  };
  const statusOn = async (app: TestApp, auth: { Authorization: string }) =>
    (await app.http().get('/api/v1/candidates?limit=1').set(auth)).status;
  /** Polls for up to 2 s: a notification arrives after the commit, not with it. */
  const eventually = async (read: () => Promise<unknown>, expected: unknown) => {
    const deadline = Date.now() + 2_000;
    let last = await read();
    while (JSON.stringify(last) !== JSON.stringify(expected) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      last = await read();
    }
    return last;
  };
  const newestKeyId = async () =>
    (await sql.query(`SELECT id FROM api_key ORDER BY created_at DESC LIMIT 1`)).rows[0].id as string;

  it('answers a key it has seen from memory, and refuses it once another instance revokes it', async () => {
    const viewer = await first.keyFor('viewer');
    const id = await newestKeyId();
    expect(await statusOn(second, viewer)).toBe(200);

    // Revoked behind the cache's back: the second instance still knows the key, so it answered from memory.
    await silently(`UPDATE api_key SET revoked_at = now() WHERE id = $1`, [id]);
    expect(await statusOn(second, viewer)).toBe(200);
    expect(await statusOn(first, viewer)).toBe(401);

    await silently(`UPDATE api_key SET revoked_at = NULL WHERE id = $1`, [id]);
    await first.http().delete(`/api/v1/api-keys/${id}`).set(first.admin).expect(204);
    expect(await statusOn(first, viewer)).toBe(401);
    expect(await eventually(() => statusOn(second, viewer), 401)).toBe(401);
  });

  it('follows an alias added on another instance in the next searches', async () => {
    const before = await addCandidate(first, { skills: [{ name: 'Elixirlang' }] });
    const other = await addCandidate(first, { skills: [{ name: 'Elixir' }] });
    const search = async () =>
      ((await second.http().get('/api/v1/candidates?skills=elixirlang').set(second.admin).expect(200)).body.items as { id: string }[])
        .map((item) => item.id).sort();
    expect(await search()).toEqual([before.id]);

    await first.http().post('/api/v1/skills/aliases').set(first.admin).send({ alias: 'elixirlang', skill: 'elixir' }).expect(201);
    expect(await eventually(search, [before.id, other.id].sort())).toEqual([before.id, other.id].sort());
  });

  it('forgets everything when its listener was cut off, since it may have missed changes', async () => {
    const viewer = await first.keyFor('viewer');
    const id = await newestKeyId();
    expect(await statusOn(second, viewer)).toBe(200);
    const listeners = async () =>
      (await sql.query(`SELECT pid FROM pg_stat_activity WHERE application_name = 'silverpool-table-changes' AND datname = current_database()`))
        .rows.map((row) => row.pid as number);
    const cut = await listeners();
    expect(cut).toHaveLength(2);
    await sql.query(`SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid`, [cut]);
    // Both instances connect again (within about a second) ...
    const back = await eventually(async () => (await listeners()).filter((pid) => !cut.includes(pid)).length, 2);
    expect(back).toBe(2);

    // ... and a change they could not have heard of is seen, because they started over.
    await silently(`UPDATE api_key SET revoked_at = now() WHERE id = $1`, [id]);
    expect(await statusOn(second, viewer)).toBe(401);
  });
});
