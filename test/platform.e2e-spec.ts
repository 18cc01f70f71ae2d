import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { startTestApp, TestApp } from './support/test-app';
import { expectProblem } from './support/problem';

describe('Platform: auth, errors, health, docs', () => {
  let sut: TestApp;
  beforeAll(async () => {
    sut = await startTestApp();
  });
  afterAll(() => sut.close());

  it('serves liveness and readiness without a key', async () => {
    await sut.http().get('/health/live').expect(200);
    const ready = await sut.http().get('/health/ready').expect(200);
    expect(ready.body.info.database.status).toBe('up');
  });

  it('answers 401 without a key or with an unknown one, as problem+json', async () => {
    expectProblem(await sut.http().get('/api/v1/candidates'), 401);
    expectProblem(await sut.http().get('/api/v1/candidates').set('Authorization', 'Bearer sp_nope'), 401);
  });

  it('lets each role do what it may and answers 403 otherwise', async () => {
    const viewer = await sut.keyFor('viewer');
    const recruiter = await sut.keyFor('recruiter');
    const candidate = { fullName: 'Ada Lovelace', email: 'ada@example.com' };

    await sut.http().get('/api/v1/candidates').set(viewer).expect(200);
    expectProblem(await sut.http().post('/api/v1/candidates').set(viewer).send(candidate), 403);
    await sut.http().post('/api/v1/candidates').set(recruiter).send(candidate).expect(201);
    expectProblem(await sut.http().get('/api/v1/api-keys').set(recruiter), 403);
    await sut.http().get('/api/v1/api-keys').set(sut.admin).expect(200);
  });

  it('manages API keys: the secret is shown once, stored hashed, and revocation takes effect', async () => {
    const created = await sut.http().post('/api/v1/api-keys').set(sut.admin).send({ name: 'BI', role: 'viewer' }).expect(201);
    expect(created.body.key).toMatch(/^sp_/);
    expect(created.body).not.toHaveProperty('keyHash');
    const auth = { Authorization: `Bearer ${created.body.key}` };
    await sut.http().get('/api/v1/candidates').set(auth).expect(200);

    const listed = await sut.http().get('/api/v1/api-keys?limit=100').set(sut.admin).expect(200);
    const entry = listed.body.items.find((k: { id: string }) => k.id === created.body.id);
    expect(entry).toMatchObject({ name: 'BI', role: 'viewer', keyPrefix: created.body.key.slice(0, 10) });
    expect(JSON.stringify(listed.body)).not.toContain(created.body.key);

    await sut.http().delete(`/api/v1/api-keys/${created.body.id}`).set(sut.admin).expect(204);
    expectProblem(await sut.http().get('/api/v1/candidates').set(auth), 401);
    expectProblem(await sut.http().delete(`/api/v1/api-keys/${created.body.id}`).set(sut.admin), 404);
    expectProblem(await sut.http().post('/api/v1/api-keys').set(sut.admin).send({ name: 'x', role: 'root' }), 400, ['role']);
    // Names are trimmed before their length is checked: blanks name nothing.
    expectProblem(await sut.http().post('/api/v1/api-keys').set(sut.admin).send({ name: '   ', role: 'viewer' }), 400, ['name']);
  });

  it('pages through API keys created in the same instant (microseconds apart from the cursor) without skipping any', async () => {
    await sut.app.get(DataSource).query(
      `INSERT INTO api_key (name, role, key_hash, key_prefix)
       SELECT 'batch ' || i, 'viewer', md5('batch key ' || i), 'sp_batch' FROM generate_series(1, 5) AS i`,
    );
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { name: string }[]; nextCursor: string | null } =
        (await sut.http().get(`/api/v1/api-keys?limit=2${cursor ? `&cursor=${cursor}` : ''}`).set(sut.admin).expect(200)).body;
      seen.push(...page.items.map((key) => key.name));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.filter((name) => name.startsWith('batch ')).sort()).toEqual(['batch 1', 'batch 2', 'batch 3', 'batch 4', 'batch 5']);
    expect(new Set(seen).size).toBe(seen.length);

    // A cursor is its list's: the key list's (a time and an id, as most lists' are) is refused by the others.
    const keysCursor = (await sut.http().get('/api/v1/api-keys?limit=1').set(sut.admin).expect(200)).body.nextCursor;
    expect(keysCursor).toEqual(expect.any(String));
    for (const list of ['/api/v1/candidates', '/api/v1/vacancies', '/api/v1/campaigns', '/api/v1/emails', '/api/v1/privacy-requests']) {
      expectProblem(await sut.http().get(`${list}?cursor=${keysCursor}`).set(sut.admin), 400, ['cursor']);
    }
  });

  it('rejects unknown fields, wrong types, malformed JSON and oversize bodies with 4xx problems', async () => {
    const body = expectProblem(
      await sut.http().post('/api/v1/candidates').set(sut.admin).send({ fullName: 'A', email: 'a@example.com', isAdmin: true }),
      400,
      ['isAdmin'],
    );
    expect(body.errors[0].messages[0]).toMatch(/should not exist/);
    expectProblem(await sut.http().post('/api/v1/candidates').set(sut.admin).send({ fullName: 42, email: 'nope' }), 400, ['fullName', 'email']);
    // The JSON parser passes arrays on, which class-validator read as fields "0", "1": "property 0 should not exist".
    for (const [json, sent] of [['[{"fullName":"A","email":"a@example.com"}]', 'an array'], ['[]', 'an array']]) {
      const refused = expectProblem(
        await sut.http().post('/api/v1/candidates').set(sut.admin).set('Content-Type', 'application/json').send(json),
        400,
        ['body'],
      );
      expect(refused.errors[0].messages).toEqual([`The request body must be a JSON object, not ${sent}.`]);
    }
    expectProblem(await sut.http().patch(`/api/v1/candidates/${randomUUID()}`).set(sut.admin).set('Content-Type', 'application/json').send('[1]'), 400, ['body']);
    // Answered with the request's id, as every error is (the parsers had run before the request logger).
    const unparsable = await sut.http().post('/api/v1/candidates').set(sut.admin).set('Content-Type', 'application/json').send('{"fullName":');
    expect(expectProblem(unparsable, 400).requestId).toBe(unparsable.headers['x-request-id']);
    expect(unparsable.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const huge = { fullName: 'A', email: 'a@example.com', headline: 'x'.repeat(2 * 1024 * 1024) };
    expectProblem(await sut.http().post('/api/v1/candidates').set(sut.admin).send(huge), 413);
    // A form whose %-escapes are not UTF-8 (kept as literal text, they were stored as such).
    expect(expectProblem(await sut.http().post('/api/v1/candidates').set(sut.admin).type('form').send('fullName=%C0%AF&email=a%40example.com'), 400))
      .toMatchObject({ code: 'MalformedBody', detail: 'The form body is not valid percent-encoded UTF-8.' });
    // Past Node's 16 KB of URL and headers, before Express: Node's 431 came with an empty body.
    expect(expectProblem(await sut.http().get(`/api/v1/candidates?q=${'x'.repeat(20_000)}`).set(sut.admin), 431).code).toBe('HeadersTooLarge');
  });

  it('answers input the database would refuse with a 400 naming the field, and stores nothing', async () => {
    const created = await sut.http().post('/api/v1/candidates').set(sut.admin).send({ fullName: 'Nul Check', email: 'nul@example.com' }).expect(201);
    const url = `/api/v1/candidates/${created.body.id}`;
    // NUL characters, anywhere a string goes in.
    expectProblem(await sut.http().post('/api/v1/candidates').set(sut.admin).send({ fullName: 'A\u0000B', email: 'nul2@example.com' }), 400, ['fullName']);
    expectProblem(await sut.http().patch(url).set(sut.admin).send({ skills: [{ name: 'go\u0000' }] }), 400, ['skills.0.name']);
    expectProblem(await sut.http().get('/api/v1/candidates?q=%00ab').set(sut.admin), 400, ['q']);
    expectProblem(await sut.http().get('/api/v1/candidates?skills=go,%00').set(sut.admin), 400, ['skills']);
    // null for a value every candidate has.
    expectProblem(await sut.http().patch(url).set(sut.admin).send({ fullName: null, timeZone: null, status: null }), 400, ['fullName', 'timeZone', 'status']);
    // Lists too: null had been taken as "no change" ([] removes them all).
    expectProblem(await sut.http().patch(url).set(sut.admin).send({ tags: null, skills: null }), 400, ['tags', 'skills']);
    // ISO 8601 forms that pass a lenient check but that JavaScript or PostgreSQL read differently or not at all.
    for (const date of ['20260115', '2026-W05', '2026-015', '2026-01-15T10:00']) {
      expectProblem(await sut.http().get(`/api/v1/candidates?updatedSince=${date}`).set(sut.admin), 400, ['updatedSince']);
      expectProblem(await sut.http().post(`${url}/consents`).set(sut.admin).send({ scope: 'talent_pool', textVersion: 'v1', source: 'verbal', grantedAt: date }), 400, ['grantedAt']);
    }
    // A skill name that is too long only once normalised ("ﬀ" becomes "ff"), or that normalises to nothing.
    expectProblem(await sut.http().patch(url).set(sut.admin).send({ skills: [{ name: '\ufb00'.repeat(41) }] }), 400, ['skills.0.name']);
    expectProblem(await sut.http().post('/api/v1/skills/aliases').set(sut.admin).send({ alias: '!!!', skill: 'go' }), 400, ['alias']);

    const stored = await sut.http().get(url).set(sut.admin).expect(200);
    expect(stored.body).toMatchObject({ fullName: 'Nul Check', skills: [], status: 'active', consent: { state: 'none' } });
  });

  it('rejects bad pagination: limit over the cap, non-numeric limit, forged cursor', async () => {
    expectProblem(await sut.http().get('/api/v1/candidates?limit=101').set(sut.admin), 400, ['limit']);
    expectProblem(await sut.http().get('/api/v1/candidates?limit=abc').set(sut.admin), 400, ['limit']);
    // Number() read these as 16, 10 and 10: a limit is written in digits, nothing else.
    for (const limit of ['0x10', '1e1', '%2010']) {
      expectProblem(await sut.http().get(`/api/v1/candidates?limit=${limit}`).set(sut.admin), 400, ['limit']);
    }
    await sut.http().get('/api/v1/candidates?limit=07').set(sut.admin).expect(200);
    // Blank search text is no search text.
    expectProblem(await sut.http().get('/api/v1/candidates?q=%20%20').set(sut.admin), 400, ['q']);
    expectProblem(await sut.http().get('/api/v1/candidates?cursor=not-a-cursor').set(sut.admin), 400, ['cursor']);
    const forged = Buffer.from(JSON.stringify(["'; DROP TABLE candidate; --", 1])).toString('base64url');
    expectProblem(await sut.http().get(`/api/v1/candidates?cursor=${forged}`).set(sut.admin), 400, ['cursor']);
    expectProblem(await sut.http().get('/api/v1/candidates/not-a-uuid').set(sut.admin), 400, ['id']);
    // Values of the right JSON type that the database would still refuse: each a 400, never a 500.
    // Written with the list's own name, so that each is refused for its values, not for naming another list.
    const cursor = (position: unknown[]) => Buffer.from(JSON.stringify(position)).toString('base64url');
    const recent = (...position: unknown[]) => cursor(['candidates.recent', ...position]);
    const ranked = (...position: unknown[]) => cursor(['candidates.ranked', ...position]);
    const dashes = '-'.repeat(36);
    const tampered = [
      `/api/v1/candidates?cursor=${recent('1', '00000000-0000-0000-0000-000000000000')}`,
      `/api/v1/candidates?cursor=${recent('2026-13-45T00:00:00Z', '00000000-0000-0000-0000-000000000000')}`,
      `/api/v1/candidates?cursor=${recent('2026-02-30T00:00:00Z', '00000000-0000-0000-0000-000000000000')}`,
      `/api/v1/candidates?cursor=${recent('0000-01-01T00:00:00Z', '00000000-0000-0000-0000-000000000000')}`,
      `/api/v1/candidates?skills=go&cursor=${ranked(1, 1, '2026-04-31T00:00:00Z', '00000000-0000-0000-0000-000000000000')}`,
      `/api/v1/audit?cursor=${cursor(['audit', '2026-02-29T10:00:00.123456Z', 1])}`,
      `/api/v1/candidates?cursor=${recent('2026-01-01T00:00:00Z', dashes)}`,
      `/api/v1/candidates?skills=go&cursor=${ranked(2 ** 40, 1, '2026-01-01T00:00:00Z', '00000000-0000-0000-0000-000000000000')}`,
      `/api/v1/candidates?skills=go&cursor=${ranked(1.5, 1, '2026-01-01T00:00:00Z', '00000000-0000-0000-0000-000000000000')}`,
      `/api/v1/api-keys?cursor=${cursor(['api-keys', '1', dashes])}`,
    ];
    // Well formed, for the list it is sent to, it is taken:
    await sut.http().get(`/api/v1/candidates?cursor=${recent('2026-01-01T00:00:00Z', '00000000-0000-0000-0000-000000000000')}`).set(sut.admin).expect(200);
    for (const url of tampered) expectProblem(await sut.http().get(url).set(sut.admin), 400, ['cursor']);
  });

  it('answers unknown routes with a 404 problem and sets security headers and a request id', async () => {
    const response = await sut.http().get('/api/v1/nothing-here').set(sut.admin);
    expectProblem(response, 404);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-request-id']).toBeTruthy();
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('publishes the OpenAPI document with every endpoint', async () => {
    const doc = await sut.http().get('/docs-json').expect(200);
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/candidates',
        '/api/v1/candidates/{id}',
        '/api/v1/candidates/{id}/consents',
        '/api/v1/candidates/import',
        '/api/v1/skills',
        '/api/v1/skills/aliases',
        '/api/v1/api-keys',
        '/health/ready',
      ]),
    );
    // Every API route the server answers is documented, with its method.
    const express = sut.app.getHttpAdapter().getInstance() as { router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] } };
    const served = express.router.stack
      .filter((layer) => layer.route?.path.startsWith('/api/'))
      .flatMap((layer) => Object.keys(layer.route!.methods).map((method) => `${method} ${layer.route!.path.replace(/:(\w+)/g, '{$1}')}`));
    const documented = Object.entries(doc.body.paths as Record<string, object>).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method} ${path}`));
    expect(served.length).toBeGreaterThan(40);
    expect(served.filter((route) => !documented.includes(route))).toEqual([]);
    // Every error response is the problem+json shape, and every operation taking input documents its 400.
    type Op = { parameters?: unknown[]; requestBody?: unknown; responses: Record<string, { content?: Record<string, unknown> }> };
    const operations = Object.entries(doc.body.paths as Record<string, Record<string, Op>>)
      .flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ route: `${method} ${path}`, op })));
    expect(operations.filter(({ op }) => (op.requestBody || op.parameters?.length) && !op.responses['400']).map(({ route }) => route)).toEqual([]);
    // The health checks' 503 is terminus's own report of each check, documented as such.
    const errorsWithoutShape = operations.filter(({ route }) => !route.includes(' /health/')).flatMap(({ route, op }) => Object.entries(op.responses)
      .filter(([status, response]) => Number(status) >= 400 && !response.content?.['application/problem+json']).map(([status]) => `${route} ${status}`));
    expect(errorsWithoutShape).toEqual([]);
    expect(doc.body.paths['/api/v1/emails/{id}/resolution'].post.responses['400'].content['application/problem+json'].schema)
      .toEqual({ $ref: '#/components/schemas/Problem' });
  });
});

describe('The last admin key', () => {
  it('cannot be revoked, also when two admins revoke each other at once', async () => {
    const sut = await startTestApp();
    try {
      const db = sut.app.get(DataSource);
      const [configured] = await db.query(`SELECT id FROM api_key WHERE name = 'ADMIN_API_KEY'`);
      const last = expectProblem(await sut.http().delete(`/api/v1/api-keys/${configured.id}`).set(sut.admin), 409);
      expect(last).toMatchObject({ code: 'LastAdminKey' });

      const second = (await sut.http().post('/api/v1/api-keys').set(sut.admin).send({ name: 'second admin', role: 'admin' }).expect(201)).body;
      const [first, other] = await Promise.all([
        sut.http().delete(`/api/v1/api-keys/${second.id}`).set(sut.admin),
        sut.http().delete(`/api/v1/api-keys/${configured.id}`).set({ Authorization: `Bearer ${second.key}` }),
      ]);
      // One revocation wins; the other is refused as the last admin's (409) or, if it came after, by its revoked key (401).
      const statuses = [first.status, other.status];
      expect(statuses.filter((status) => status === 204)).toHaveLength(1);
      expect([401, 409]).toContain(statuses.find((status) => status !== 204));
      const [{ active }] = await db.query(`SELECT count(*)::int AS active FROM api_key WHERE role = 'admin' AND revoked_at IS NULL`);
      expect(active).toBe(1);
    } finally {
      await sut.close();
    }
  });
});

describe('The connection pool', () => {
  it('is opened in full at start, every connection prepared, when DATABASE_PREPARE_POOL is true', async () => {
    const sut = await startTestApp({ DATABASE_PREPARE_POOL: 'true', DATABASE_POOL_SIZE: '3' });
    try {
      const [{ open }] = await sut.app.get(DataSource).query(
        `SELECT count(*)::int AS open FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'silverpool'`,
      );
      expect(open).toBe(3);
      await sut.http().get('/api/v1/candidates?skills=go').set(sut.admin).expect(200);
    } finally {
      await sut.close();
    }
  });
});

describe('Rate limiting', () => {
  let sut: TestApp;
  beforeAll(async () => {
    sut = await startTestApp({ RATE_LIMIT_PER_MINUTE: '3' });
  });
  afterAll(() => sut.close());

  it('answers 429 past the limit, counted per client over every route, and never to health probes', async () => {
    for (const path of ['/api/v1/candidates', '/api/v1/vacancies', '/api/v1/campaigns']) await sut.http().get(path).set(sut.admin).expect(200);
    // Another route is no way round it: the limit is the client's, not each route's.
    expectProblem(await sut.http().get('/api/v1/templates').set(sut.admin), 429);
    expectProblem(await sut.http().get('/api/v1/candidates').set(sut.admin), 429);
    for (let i = 0; i < 5; i++) await sut.http().get('/health/ready').expect(200);
    // Without TRUST_PROXY, X-Forwarded-For is the client's say-so: it does not make a new client.
    expectProblem(await sut.http().get('/api/v1/candidates').set(sut.admin).set('X-Forwarded-For', '203.0.113.9'), 429);
  });
});

describe('Rate limiting behind a proxy (TRUST_PROXY)', () => {
  let sut: TestApp;
  beforeAll(async () => {
    sut = await startTestApp({ RATE_LIMIT_PER_MINUTE: '3', TRUST_PROXY: 'loopback' });
  });
  afterAll(() => sut.close());

  it('counts each client the trusted proxy names apart, not the proxy as one client', async () => {
    const from = (client: string) => sut.http().get('/api/v1/candidates').set(sut.admin).set('X-Forwarded-For', client);
    for (let i = 0; i < 3; i++) await from('203.0.113.1').expect(200);
    expectProblem(await from('203.0.113.1'), 429);
    await from('203.0.113.2').expect(200);
  });
});
