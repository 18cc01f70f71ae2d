/**
 * Skill-search benchmark: a fixed mix of 1-5-skill queries over HTTP against
 * the running app (1, then 8 concurrent clients), and the same rankings as
 * plain SQL on the same database (the floor the app cannot beat).
 *
 *   npm run bench:seed && npm run bench:search
 *
 * Database: DATABASE_URL, else the embedded bench server (see seed.ts).
 * Knobs: BENCH_REPEAT (requests per query per phase, default 60),
 * BENCH_MAX_SECONDS (cap per phase, default 120), BENCH_CONCURRENCY ("1,8").
 *
 * The app runs in a child process so the RSS printed is the app's own: by
 * default the compiled app (nest build, then dist/ as `npm run start:prod`
 * runs it), BENCH_APP=ts-node for the sources. All traffic goes to
 * 127.0.0.1. Results are also written to bench/results/.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { normalizeSkillName } from '../src/skill/skill-name';
import { loadConfig } from '../src/config/app-config';
import { RAISE_MALLOC_THRESHOLDS } from '../src/database/open-data-source';
import { AppProcess, startApp } from './app-process';
import { positiveInt } from './settings';
import { agent, httpJson } from './http-client';
import { benchSkillName, openBenchDatabase } from './seed';

interface MixQuery {
  name: string;
  kind: string;
  params: Record<string, string>;
  /** Ask for page 2: the cursor is taken from page 1 before timing. */
  secondPage?: boolean;
}

const rare = (rank: number) => benchSkillName(rank);

/** The fixed mix. Popularity: javascript ~37% of candidates, typescript ~24%, kafka ~1.6%, rank 3000 ~0.02%. */
const MIX: MixQuery[] = [
  { name: 'typescript', kind: 'common', params: { skills: 'typescript' } },
  { name: 'javascript +consent +SE', kind: 'common', params: { skills: 'javascript', consent: 'valid', country: 'SE' } },
  { name: 'kafka', kind: 'mid', params: { skills: 'kafka' } },
  { name: `rare (rank 3000)`, kind: 'rare', params: { skills: rare(3000) } },
  { name: 'typescript,postgresql,kafka any', kind: 'mixed', params: { skills: 'typescript,postgresql,kafka', match: 'any' } },
  { name: 'typescript,postgresql,kafka all', kind: 'mixed', params: { skills: 'typescript,postgresql,kafka', match: 'all' } },
  { name: 'javascript,typescript all', kind: 'common', params: { skills: 'javascript,typescript', match: 'all' } },
  { name: '5 most common any', kind: 'common', params: { skills: 'javascript,typescript,python,node.js,react', match: 'any' } },
  {
    name: 'python,k8s,terraform all +consent', kind: 'mixed',
    params: { skills: 'python,kubernetes,terraform', match: 'all', consent: 'valid' },
  },
  { name: 'react + 2 rare any', kind: 'mixed', params: { skills: ['react', rare(1500), rare(4000)].join(','), match: 'any' } },
  { name: 'postgresql + rank 600 all', kind: 'mixed', params: { skills: ['postgresql', rare(600)].join(','), match: 'all' } },
  { name: '4 rare any', kind: 'rare', params: { skills: [2500, 3500, 4500, 4900].map(rare).join(','), match: 'any' } },
  {
    name: 'go,k8s,aws,terraform any +tag', kind: 'mixed',
    params: { skills: 'go,k8s,aws,terraform', match: 'any', tags: 'remote-ok' },
  },
  { name: 'c#,.net all +city', kind: 'mixed', params: { skills: 'c#,.net', match: 'all', city: 'stockholm' } },
  { name: '5 mixed all', kind: 'mixed', params: { skills: 'graphql,react,typescript,node.js,mongodb', match: 'all' } },
  { name: 'machine learning,python any +q', kind: 'mixed', params: { skills: 'ml,python', match: 'any', q: 'senior' } },
  { name: 'typescript page 2', kind: 'common', params: { skills: 'typescript' }, secondPage: true },
];

const REPEAT = positiveInt(process.env.BENCH_REPEAT, 60);
const MAX_SECONDS = positiveInt(process.env.BENCH_MAX_SECONDS, 120);
const CONCURRENCY = (process.env.BENCH_CONCURRENCY ?? '1,8').split(',').map((c) => positiveInt(c, 1));
const WARMUP = 3;
/** One-client phase: requests per query in a row before the same number of floor runs. */
const BLOCK = 10;

interface SearchPage {
  items: { id: string; matchedSkills: string[] }[];
  nextCursor: string | null;
}

// ---------------------------------------------------------------------------
// Measuring
// ---------------------------------------------------------------------------

interface Summary {
  n: number;
  p50: number;
  p95: number;
  p99: number;
}

function summarise(samples: number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? NaN;
  return { n: sorted.length, p50: at(0.5), p95: at(0.95), p99: at(0.99) };
}

/**
 * Runs `total` jobs over `clients` concurrent loops; job i is query i % mix.
 * Bounded by count and by MAX_SECONDS.
 */
async function runPhase(clients: number, total: number, job: (i: number) => Promise<void>): Promise<{ seconds: number; done: number }> {
  let next = 0;
  let done = 0;
  const deadline = Date.now() + MAX_SECONDS * 1000;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < total && Date.now() < deadline) {
        const i = next++;
        await job(i);
        done++;
      }
    }),
  );
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, done };
}

const elapsedMs = (from: bigint) => Number(process.hrtime.bigint() - from) / 1e6;

function pathFor(query: MixQuery, cursor?: string): string {
  const params = new URLSearchParams({ ...query.params, limit: '20', ...(cursor ? { cursor } : {}) });
  return `/api/v1/candidates?${params.toString()}`;
}

// ---------------------------------------------------------------------------
// The SQL floor: the statements the search service runs, straight through pg
// ---------------------------------------------------------------------------

/** The ranking as the pre-denormalisation service ran it: the reference for BENCH_VERIFY=1. */
const REFERENCE_RANKING = `
  SELECT c.id FROM (SELECT candidate_id, count(*)::int AS matched, coalesce(sum(level), 0)::int AS level_sum
                    FROM candidate_skill WHERE skill_id = ANY($1::int[]) GROUP BY candidate_id HAVING count(*) >= $2) h
  JOIN candidate c ON c.id = h.candidate_id
  WHERE (h.matched, h.level_sum, c.updated_at, c.id) < ($3, $4, $5::timestamptz, $6::uuid) AND FILTERS
  ORDER BY h.matched DESC, h.level_sum DESC, c.updated_at DESC, c.id DESC LIMIT 20`;

interface Floor {
  /** The ranking statements alone (rankCandidates), per query. */
  ranking: number[][];
  /** Everything the request sends to the database: the ranking and the page of candidates with skills and medals. */
  request: number[][];
  firstPages: string[][];
  /** Times query `index` both ways; called between the 1-client HTTP requests, so both see the same machine. */
  measure(index: number): Promise<void>;
  /** BENCH_VERIFY=1: every first page against the pre-denormalisation aggregate ranking. */
  verify(): Promise<{ checked: number; failed: string[] }>;
  close(): Promise<void>;
}

async function openFloor(databaseUrl: string, cursors: Map<number, string>, viewerKey: string): Promise<Floor> {
  const search = {
    ...(await import('../src/candidate/search/candidate-ranking')),
    ...(await import('../src/candidate/search/search-filters')),
    ...(await import('../src/candidate/search/skill-key-stats')),
  };
  const { SearchCandidatesQuery } = await import('../src/candidate/dto/search-candidates.query');
  const { CANDIDATE_VIEWS } = await import('../src/candidate/candidate.view');
  const { RESOLVE_SKILLS } = await import('../src/skill/skill.service');
  const { AUTHENTICATE, hashKey } = await import('../src/api-key/api-key.service');
  const { decodeCursor } = await import('../src/common/pagination/page');
  const { plainToInstance } = await import('class-transformer');
  const client = new Client({ connectionString: databaseUrl, application_name: 'silverpool-bench-floor' });
  await client.connect();
  // Prepared as the app prepares each of its connections (src/database/open-data-source.ts).
  await client.query(RAISE_MALLOC_THRESHOLDS);
  try {
    const run: import('../src/candidate/search/sql-runner').SqlRunner = async (sql, params) =>
      (await client.query(sql, params)).rows;
    const stats = await search.loadSkillKeyStats(run);
    const requests = MIX.map((mix, index) => {
      const query = plainToInstance(SearchCandidatesQuery, { ...mix.params, limit: '20' });
      const cursor = cursors.get(index);
      const after = cursor ? decodeCursor(cursor, ['int', 'int', 'timestamp', 'uuid']) : undefined;
      return {
        query,
        names: (query.skills ?? []).map(normalizeSkillName),
        filters: search.searchFilters(query, new Date(), loadConfig().DEFAULT_TIME_ZONE),
        after: after && { matched: after[0] as number, levelSum: after[1] as number, updated: after[2] as string, id: after[3] as string },
      };
    });
    // Named, as the app runs them (src/database/prepared-statement.ts): parsed once, planned once.
    const prepared = <T extends object>(statement: { name: string; text: string }, values: unknown[]) =>
      client.query<T>({ name: statement.name, text: statement.text, values });

    // The key check and the skill names: an app instance answers them from memory once it has seen them
    // (LOOKUP_CACHE_SECONDS), so they are looked up once here and are not part of a timed request.
    await prepared(AUTHENTICATE, [hashKey(viewerKey)]);
    // One after another: a pg client runs one query at a time (queuing them is deprecated in pg 8).
    const resolvedIds: { id: number }[][] = [];
    for (const r of requests) {
      resolvedIds.push((await prepared<{ id: number | null }>(RESOLVE_SKILLS, [[...new Set(r.names)]])).rows
        .filter((row): row is { id: number } => row.id !== null));
    }

    /** The statements one HTTP search request sends, in the same order. */
    const fullRequest = async (i: number) => {
      const r = requests[i];
      const ids = { rows: resolvedIds[i] };
      const rows = await search.rankCandidates(run, stats, {
        skillIds: ids.rows.map((row) => row.id), matchAll: r.query.match === 'all', need: 21, filters: r.filters, after: r.after,
      });
      const page = rows.slice(0, 20).map((row) => row.id);
      await prepared(CANDIDATE_VIEWS, [page]);
      return { page, skillIds: ids.rows.map((row) => row.id) };
    };

    const firstPages: string[][] = [];
    const skillIds: number[][] = [];
    for (let i = 0; i < MIX.length; i++) {
      const { page, skillIds: ids } = await fullRequest(i);
      firstPages[i] = page;
      skillIds[i] = ids;
      for (let w = 0; w < WARMUP; w++) await fullRequest(i);
    }
    const rankOnly = (i: number) => search.rankCandidates(run, stats, {
      skillIds: skillIds[i], matchAll: requests[i].query.match === 'all', need: 21, filters: requests[i].filters, after: requests[i].after,
    });
    const ranking: number[][] = MIX.map(() => []);
    const request: number[][] = MIX.map(() => []);
    const measure = async (index: number) => {
      let started = process.hrtime.bigint();
      await rankOnly(index);
      ranking[index].push(elapsedMs(started));
      started = process.hrtime.bigint();
      await fullRequest(index);
      request[index].push(elapsedMs(started));
    };

    const verify = async () => {
      const failed: string[] = [];
      for (const [i, r] of requests.entries()) {
        const params: unknown[] = [
          skillIds[i], r.query.match === 'all' ? skillIds[i].length : 1,
          r.after?.matched ?? 1e9, r.after?.levelSum ?? 0, r.after?.updated ?? 'infinity', r.after?.id ?? 'ffffffff-ffff-ffff-ffff-ffffffffffff',
        ];
        const where = r.filters.sql((value) => `$${params.push(value)}`);
        const sql = REFERENCE_RANKING.replace('FILTERS', where.length ? where.join(' AND ') : 'true');
        const expected = (await client.query<{ id: string }>(sql, params)).rows.map((row) => row.id);
        const known = new Set(r.names).size === skillIds[i].length || r.query.match !== 'all';
        if ((known ? expected : []).join() !== firstPages[i].join()) failed.push(MIX[i].name);
      }
      return { checked: requests.length, failed };
    };
    return { ranking, request, firstPages, measure, verify, close: () => client.end() };
  } catch (error) {
    await client.end();
    throw error;
  }
}

// ---------------------------------------------------------------------------

async function main(): Promise<void> {
  const database = await openBenchDatabase();
  let app: AppProcess | undefined;
  try {
    const probe = new Client({ connectionString: database.url });
    await probe.connect();
    const { rows } = await probe
      .query<{ n: string; version: string }>(`SELECT (SELECT count(*) FROM candidate) AS n, current_setting('server_version') AS version`)
      .catch(() => ({ rows: [{ n: '0', version: '?' }] }));
    await probe.end();
    const candidates = Number(rows[0].n);
    if (candidates === 0) throw new Error('The bench database has no candidates: run `npm run bench:seed` first.');
    console.log(`Silverpool search benchmark: ${candidates.toLocaleString('en')} candidates, PostgreSQL ${rows[0].version}`);
    console.log(`${MIX.length} queries x ${REPEAT} requests per phase, clients: ${CONCURRENCY.join(', ')}`);
    console.log(`${cpus().length} CPUs; load average before: ${loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);

    const adminKey = `sp_bench_${randomBytes(24).toString('hex')}`;
    const bootStarted = Date.now();
    // The floor leaves out the key check and the skill names, which the app answers from this cache.
    app = await startApp(database.url, adminKey, { LOOKUP_CACHE_SECONDS: '60' });
    console.log(`App started in ${((Date.now() - bootStarted) / 1000).toFixed(1)} s, RSS ${mb(await app.rss())}`);
    const created = await httpJson(app.port, 'POST', '/api/v1/api-keys', { authorization: `Bearer ${adminKey}` }, { name: 'search benchmark', role: 'viewer' });
    if (created.status !== 201) throw new Error(`Could not create a viewer key: ${created.status} ${JSON.stringify(created.body)}`);
    const auth = { authorization: `Bearer ${(created.body as { key: string }).key}` };

    // Page-1 results (for the cross-check) and page-2 cursors, then warm-up.
    const httpFirstPages: string[][] = [];
    const cursors = new Map<number, string>();
    for (const [index, query] of MIX.entries()) {
      const first = await httpJson(app.port, 'GET', pathFor(query), auth);
      if (first.status !== 200) throw new Error(`${query.name}: HTTP ${first.status} ${JSON.stringify(first.body)}`);
      const page = first.body as SearchPage;
      if (query.secondPage) {
        if (!page.nextCursor) throw new Error(`${query.name}: no second page`);
        cursors.set(index, page.nextCursor);
        const second = await httpJson(app.port, 'GET', pathFor(query, page.nextCursor), auth);
        httpFirstPages[index] = (second.body as SearchPage).items.map((item) => item.id);
      } else {
        httpFirstPages[index] = page.items.map((item) => item.id);
      }
      for (let i = 0; i < WARMUP; i++) await httpJson(app.port, 'GET', pathFor(query, cursors.get(index)), auth);
    }

    const floor = await openFloor(database.url, cursors, auth.authorization.slice('Bearer '.length));
    try {
      const phases: Phase[] = [];
      let peakRss = await app.rss();
      for (const clients of CONCURRENCY) {
        const samples: number[][] = MIX.map(() => []);
        let errors = 0;
        const sampler = setInterval(() => void app!.rss().then((rss) => (peakRss = Math.max(peakRss, rss))), 250);
        // One client: each query in blocks of BLOCK requests, then the same number of floor runs, so HTTP and
        // SQL are both timed back to back (warm) and still side by side on the same machine. Interleaving them
        // one by one timed every HTTP request after a pause, which on this VM costs 2-3 ms of wake-up alone.
        const indexOf = (i: number) => (clients === 1 ? Math.floor(i / BLOCK) % MIX.length : i % MIX.length);
        const phase = await runPhase(clients, MIX.length * REPEAT, async (i) => {
          const index = indexOf(i);
          const response = await httpJson(app!.port, 'GET', pathFor(MIX[index], cursors.get(index)), auth);
          samples[index].push(response.ms);
          if (response.status !== 200) errors++;
          if (clients === 1 && i % BLOCK === BLOCK - 1) for (let k = 0; k < BLOCK; k++) await floor.measure(index);
        });
        clearInterval(sampler);
        const rss = await app.rss();
        peakRss = Math.max(peakRss, rss);
        phases.push({ clients, samples, ...phase, errors, rss });
      }
      if (!floor.ranking.some((samples) => samples.length)) {
        await runPhase(1, MIX.length * REPEAT, (i) => floor.measure(i % MIX.length));
      }
      const mismatches = MIX.filter((_, i) => httpFirstPages[i].join() !== floor.firstPages[i].join()).map((q) => q.name);
      const verified = process.env.BENCH_VERIFY === '1' ? await floor.verify() : null;
      report(phases, floor, verified, peakRss, mismatches);
    } finally {
      await floor.close();
    }
  } finally {
    await app?.stop();
    agent.destroy();
    await database.stop();
  }
}

interface Phase {
  clients: number;
  samples: number[][];
  seconds: number;
  done: number;
  errors: number;
  rss: number;
}

function report(
  phases: Phase[],
  floor: Floor,
  verified: { checked: number; failed: string[] } | null,
  peakRss: number,
  mismatches: string[],
): void {
  const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(1) : '-').padStart(6);
  const nameWidth = Math.max(...MIX.map((q) => q.name.length), 11);
  const header = [
    'query'.padEnd(nameWidth), 'kind  ',
    ...phases.map((p) => `HTTP c=${p.clients}: p50    p95    p99`.padStart(26)),
    'rank SQL p50    p95', 'all SQL p50', 'HTTP/rank', 'HTTP/all',
  ].join(' | ');
  console.log('\nLatency in ms. HTTP: GET /api/v1/candidates (limit 20), from sending it to the last byte of the response.');
  console.log('rank SQL: the ranking statements the service runs, through pg - the floor; timed between the 1-client HTTP requests.');
  console.log('all SQL: every statement one request sends (ranking, the page of candidates with skills and medals; key and skill names come from the app\'s cache).\n');
  console.log(header);
  console.log('-'.repeat(header.length));
  const row = (label: string, kind: string, http: Summary[], rank: Summary, all: Summary) =>
    console.log([
      label.padEnd(nameWidth), kind.padEnd(6),
      ...http.map((s) => `${ms(s.p50)} ${ms(s.p95)} ${ms(s.p99)}`.padStart(26)),
      `${ms(rank.p50)} ${ms(rank.p95)}`.padStart(19), ms(all.p50).padStart(11),
      `${(http[0].p50 / rank.p50).toFixed(2)}x`.padStart(9), `${(http[0].p50 / all.p50).toFixed(2)}x`.padStart(8),
    ].join(' | '));
  const result = MIX.map((query, i) => {
    const http = phases.map((p) => summarise(p.samples[i]));
    const rank = summarise(floor.ranking[i]);
    const all = summarise(floor.request[i]);
    row(query.name, query.kind, http, rank, all);
    return { query: query.name, kind: query.kind, http, rankSql: rank, requestSql: all };
  });
  console.log('-'.repeat(header.length));
  const overall = phases.map((p) => summarise(p.samples.flat()));
  const overallRank = summarise(floor.ranking.flat());
  const overallAll = summarise(floor.request.flat());
  row('all queries', '', overall, overallRank, overallAll);
  console.log('');
  for (const phase of phases) {
    console.log(
      `HTTP c=${phase.clients}: ${phase.done} requests in ${phase.seconds.toFixed(1)} s = ${(phase.done / phase.seconds).toFixed(0)} req/s` +
        `${phase.errors ? `, ${phase.errors} errors` : ''}; app RSS after the phase ${mb(phase.rss)}`,
    );
  }
  const worstP50 = Math.max(...result.map((r) => r.http[0].p50));
  const worstP95 = Math.max(...result.flatMap((r) => r.http.map((h) => h.p95)));
  console.log(`\nTargets: worst query HTTP p50 (1 client) ${worstP50.toFixed(1)} ms [<= 25]; worst query HTTP p95 (any phase) ${worstP95.toFixed(1)} ms [<= 100];`);
  console.log(
    `  HTTP/SQL p50 overall ${(overall[0].p50 / overallRank.p50).toFixed(2)}x vs ranking, ${(overall[0].p50 / overallAll.p50).toFixed(2)}x vs all SQL [<= 1.3]; ` +
      `app peak RSS ${mb(peakRss)} [< 300 MB]`,
  );
  console.log(`Load average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')} (other processes on the machine compete for the same CPUs)`);
  console.log(mismatches.length ? `Page mismatch HTTP vs SQL: ${mismatches.join(', ')}` : 'HTTP and SQL returned the same pages for every query.');
  if (verified) {
    console.log(verified.failed.length
      ? `VERIFY: ${verified.failed.length} of ${verified.checked} differ from the reference aggregate ranking: ${verified.failed.join(', ')}`
      : `VERIFY: all ${verified.checked} pages equal the reference aggregate ranking.`);
  }
  const dir = join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `search-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify({
    at: new Date().toISOString(), repeat: REPEAT,
    phases: phases.map((p) => ({ clients: p.clients, seconds: p.seconds, done: p.done, errors: p.errors, rss: p.rss })),
    peakRss, result, mismatches, verified,
  }, null, 2));
  console.log(`Written to ${file}`);
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
