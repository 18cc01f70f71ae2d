import { Client } from 'pg';
import { TableChanges } from '../src/database/table-changes';
import { SuppressionService } from '../src/email/suppression.service';
import { namesOf, PoolBuilder, ranking } from './support/matching-history';
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

  /** Revokes (or restores) a key by hand; `notify: false` turns its table's trigger off, as if the change were missed. */
  const setRevoked = async (id: string, { revoked = true, notify = false } = {}) => {
    await sql.query('BEGIN');
    const [{ mode }] = (await sql.query(`SELECT tgenabled AS mode FROM pg_trigger WHERE tgname = 'api_key_changed'`)).rows;
    if (!notify) await sql.query('ALTER TABLE api_key DISABLE TRIGGER api_key_changed');
    await sql.query(`UPDATE api_key SET revoked_at = ${revoked ? 'now()' : 'NULL'} WHERE id = $1`, [id]);
    if (!notify) await sql.query(`ALTER TABLE api_key ENABLE ${mode === 'A' ? 'ALWAYS' : ''} TRIGGER api_key_changed`);
    await sql.query('COMMIT');
  };
  const statusOn = async (app: TestApp, auth: { Authorization: string }) =>
    (await app.http().get('/api/v1/candidates?limit=1').set(auth)).status;
  /** Polls for up to `ms`: a notification arrives after the commit, not with it. */
  const eventually = async (read: () => Promise<unknown>, expected: unknown, ms = 2_000) => {
    const deadline = Date.now() + ms;
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
    await setRevoked(id);
    expect(await statusOn(second, viewer)).toBe(200);
    expect(await statusOn(first, viewer)).toBe(401);

    await setRevoked(id, { revoked: false });
    expect(await statusOn(first, viewer)).toBe(200);
    await first.http().delete(`/api/v1/api-keys/${id}`).set(first.admin).expect(204);
    // The instance that revoked it knows at once; the other as soon as the notification arrives.
    expect(await statusOn(first, viewer)).toBe(401);
    expect(await eventually(() => statusOn(second, viewer), 401)).toBe(401);
  });

  it('notices a revocation made by hand, even with triggers skipped as logical replication does', async () => {
    const viewer = await first.keyFor('viewer');
    const id = await newestKeyId();
    expect(await statusOn(second, viewer)).toBe(200);
    await sql.query('BEGIN');
    await sql.query('SET LOCAL session_replication_role = replica');
    await sql.query('UPDATE api_key SET revoked_at = now() WHERE id = $1', [id]);
    await sql.query('COMMIT');
    expect(await eventually(() => statusOn(second, viewer), 401)).toBe(401);
  });

  it('follows an alias added on another instance in the next searches', async () => {
    const before = await addCandidate(first, { skills: [{ name: 'Elixirlang' }] });
    const other = await addCandidate(first, { skills: [{ name: 'Elixir' }] });
    const searchOn = (app: TestApp) => async () =>
      ((await app.http().get('/api/v1/candidates?skills=elixirlang').set(app.admin).expect(200)).body.items as { id: string }[])
        .map((item) => item.id).sort();
    expect(await searchOn(second)()).toEqual([before.id]);
    expect(await searchOn(first)()).toEqual([before.id]);

    await first.http().post('/api/v1/skills/aliases').set(first.admin).send({ alias: 'elixirlang', skill: 'elixir', merge: true }).expect(201);
    const both = [before.id, other.id].sort();
    expect(await searchOn(first)()).toEqual(both);
    expect(await eventually(searchOn(second), both)).toEqual(both);

    await first.http().delete('/api/v1/skills/aliases/elixirlang').set(first.admin).expect(204);
    // Without the alias "elixirlang" names no skill (the merge moved its people to elixir).
    expect(await searchOn(first)()).toEqual([]);
    expect(await eventually(searchOn(second), [])).toEqual([]);
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
    // Both instances connect again (about a second later) ...
    const back = await eventually(async () => (await listeners()).filter((pid) => !cut.includes(pid)).length, 2, 8_000);
    expect(back).toBe(2);

    // ... and a change they could not have heard of is seen, because they started over ...
    await setRevoked(id);
    expect(await statusOn(second, viewer)).toBe(401);

    // ... and they cache again: a key seen after the reconnect is answered from memory.
    const another = await first.keyFor('viewer');
    expect(await statusOn(second, another)).toBe(200);
    await setRevoked(await newestKeyId());
    expect(await statusOn(second, another)).toBe(200);
  });

  it('drops a person suppressed on another instance from its match lists', async () => {
    const builder = new PoolBuilder(first);
    const bouncing = await builder.person('Bounce Later', { skills: [['cobol.cache', 4]] });
    await builder.person('Stays', { skills: [['cobol.cache', 3]] });
    const vacancy = await builder.vacancy('COBOL Engineer', { skills: [{ name: 'cobol.cache', required: true }] });
    const names = async () => namesOf(await ranking(second, vacancy));
    expect(await names()).toEqual(['Bounce Later', 'Stays']);
    const [{ email }] = (await sql.query('SELECT email FROM candidate WHERE id = $1', [bouncing])).rows;
    await first.app.get(SuppressionService).suppress(email, 'hard_bounce');
    expect(await eventually(names, ['Stays'])).toEqual(['Stays']);
  });

  /** Makes the instance's listener stop hearing, as behind a pooler that cannot carry LISTEN or a firewall that dropped it silently. */
  const deaf = async (app: TestApp) => {
    const changes = app.app.get(TableChanges) as unknown as { client: Client; ping(): Promise<void> };
    await changes.client.query('UNLISTEN *');
    return changes;
  };

  it('sees its own change at once, without waiting for the notification', async () => {
    const viewer = await first.keyFor('viewer');
    const id = await newestKeyId();
    expect(await statusOn(first, viewer)).toBe(200);
    const people = [await addCandidate(first, { skills: [{ name: 'Haskell-lang' }] }), await addCandidate(first, { skills: [{ name: 'Haskell' }] })];
    const search = async () =>
      ((await first.http().get('/api/v1/candidates?skills=haskell-lang').set(first.admin).expect(200)).body.items as { id: string }[])
        .map((item) => item.id).sort();
    expect(await search()).toEqual([people[0].id]);

    await deaf(first);
    await first.http().delete(`/api/v1/api-keys/${id}`).set(first.admin).expect(204);
    expect(await statusOn(first, viewer)).toBe(401);
    await first.http().post('/api/v1/skills/aliases').set(first.admin).send({ alias: 'haskell-lang', skill: 'haskell', merge: true }).expect(201);
    expect(await search()).toEqual(people.map((person) => person.id).sort());
  });

  it('stops trusting its cache when its listener goes deaf without closing', async () => {
    const viewer = await first.keyFor('viewer');
    const id = await newestKeyId();
    expect(await statusOn(second, viewer)).toBe(200);
    // Deaf as behind a pooler that cannot carry LISTEN, or a firewall that dropped the connection silently.
    const changes = await deaf(second);
    await setRevoked(id, { notify: true });
    expect(await statusOn(second, viewer)).toBe(200);
    // The heartbeat (every 10 s; called here to save the wait) is not heard back within 5 s.
    await changes.ping();
    expect(await eventually(() => statusOn(second, viewer), 401, 8_000)).toBe(401);
  });
});
