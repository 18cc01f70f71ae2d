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
 * Beside them, in the one-client phase, a bare node:http server answering
 * with the same statements (bare-search-server.ts): what HTTP alone adds on
 * this machine, which no framework can undercut.
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
import { AUTHENTICATE, hashKey } from '../src/api-key/api-key.service';
import { AppProcess, startApp } from './app-process';
import { BareServer, startBareServer } from './bare-search-server';
import { positiveInt } from './settings';
import { agent, httpJson } from './http-client';
import { MIX, MixQuery } from './search-mix';
import { openSearchStatements } from './search-statements';
import { openBenchDatabase } from './seed';

const REPEAT = positiveInt(process.env.BENCH_REPEAT, 60);
const MAX_SECONDS = positiveInt(process.env.BENCH_MAX_SECONDS, 120);
const CONCURRENCY = (process.env.BENCH_CONCURRENCY ?? '1,8').split(',').map((c) => positiveInt(c, 1));
const WARMUP = 3;
/** One-client phase: requests per query in a row before the same number of floor runs and bare-server requests. */
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
  const statements = await openSearchStatements(databaseUrl, cursors, 'silverpool-bench-floor');
  const { client, requests, rankOnly, fullRequest } = statements;
  try {
    // The key check: an app instance answers it from memory once it has seen the key (LOOKUP_CACHE_SECONDS),
    // so it is prepared once here and is not part of a timed request, as the skill names are not.
    await client.query({ name: AUTHENTICATE.name, text: AUTHENTICATE.text, values: [hashKey(viewerKey)] });
    const firstPages: string[][] = [];
    for (let i = 0; i < MIX.length; i++) {
      firstPages[i] = (await fullRequest(i)).page;
      for (let w = 0; w < WARMUP; w++) await fullRequest(i);
    }
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
          r.skillIds, r.query.match === 'all' ? r.skillIds.length : 1,
          r.after?.matched ?? 1e9, r.after?.levelSum ?? 0, r.after?.updated ?? 'infinity', r.after?.id ?? 'ffffffff-ffff-ffff-ffff-ffffffffffff',
        ];
        const where = r.filters.sql((value) => `$${params.push(value)}`);
        const sql = REFERENCE_RANKING.replace('FILTERS', where.length ? where.join(' AND ') : 'true');
        const expected = (await client.query<{ id: string }>(sql, params)).rows.map((row) => row.id);
        const known = new Set(r.names).size === r.skillIds.length || r.query.match !== 'all';
        if ((known ? expected : []).join() !== firstPages[i].join()) failed.push(MIX[i].name);
      }
      return { checked: requests.length, failed };
    };
    return { ranking, request, firstPages, measure, verify, close: () => statements.close() };
  } catch (error) {
    await statements.close();
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
    let bare: BareServer | undefined;
    try {
      bare = await startBareServer(database.url, cursors);
      const bareSamples: number[][] = MIX.map(() => []);
      const bareRequest = async (index: number) => {
        const response = await httpJson(bare!.port, 'GET', `/?query=${index}`, {});
        if (response.status !== 200) throw new Error(`The bare server answered ${MIX[index].name} with ${response.status}`);
        return response.ms;
      };
      for (let i = 0; i < MIX.length; i++) for (let w = 0; w < WARMUP; w++) await bareRequest(i);
      const measureBoth = async (index: number) => {
        for (let k = 0; k < BLOCK; k++) await floor.measure(index);
        for (let k = 0; k < BLOCK; k++) bareSamples[index].push(await bareRequest(index));
      };
      const phases: Phase[] = [];
      let peakRss = await app.rss();
      for (const clients of CONCURRENCY) {
        const samples: number[][] = MIX.map(() => []);
        let errors = 0;
        const sampler = setInterval(() => void app!.rss().then((rss) => (peakRss = Math.max(peakRss, rss))), 250);
        // One client: each query in blocks of BLOCK requests, then the same number of floor runs and of bare-server
        // requests, so all three are timed back to back (warm) and still side by side on the same machine.
        // Interleaving them one by one timed every request after a pause, which on this VM costs 2-3 ms of wake-up.
        const indexOf = (i: number) => (clients === 1 ? Math.floor(i / BLOCK) % MIX.length : i % MIX.length);
        const phase = await runPhase(clients, MIX.length * REPEAT, async (i) => {
          const index = indexOf(i);
          const response = await httpJson(app!.port, 'GET', pathFor(MIX[index], cursors.get(index)), auth);
          samples[index].push(response.ms);
          if (response.status !== 200) errors++;
          if (clients === 1 && i % BLOCK === BLOCK - 1) await measureBoth(index);
        });
        clearInterval(sampler);
        const rss = await app.rss();
        peakRss = Math.max(peakRss, rss);
        phases.push({ clients, samples, ...phase, errors, rss });
      }
      if (!floor.ranking.some((samples) => samples.length)) {
        await runPhase(1, MIX.length * Math.ceil(REPEAT / BLOCK), (i) => measureBoth(i % MIX.length));
      }
      const mismatches = MIX.filter((_, i) => httpFirstPages[i].join() !== floor.firstPages[i].join()).map((q) => q.name);
      const verified = process.env.BENCH_VERIFY === '1' ? await floor.verify() : null;
      report(phases, floor, bareSamples, verified, peakRss, mismatches);
    } finally {
      await bare?.stop();
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
  bareSamples: number[][],
  verified: { checked: number; failed: string[] } | null,
  peakRss: number,
  mismatches: string[],
): void {
  const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(1) : '-').padStart(6);
  const nameWidth = Math.max(...MIX.map((q) => q.name.length), 11);
  const header = [
    'query'.padEnd(nameWidth), 'kind  ',
    ...phases.map((p) => `HTTP c=${p.clients}: p50    p95    p99`.padStart(26)),
    'rank SQL p50    p95', 'all SQL p50', 'HTTP/rank', 'HTTP/all', 'bare p50', 'bare/all',
  ].join(' | ');
  console.log('\nLatency in ms. HTTP: GET /api/v1/candidates (limit 20), from sending it to the last byte of the response.');
  console.log('rank SQL: the ranking statements the service runs, through pg - the floor; timed between the 1-client HTTP requests.');
  console.log('all SQL: every statement one request sends (ranking, the page of candidates with skills and medals; key and skill names come from the app\'s cache).');
  console.log('bare: a bare node:http server (no framework, key check, validation or logging) sending the same statements and writing the rows');
  console.log('as they come (no view mapping, no matchedSkills): what HTTP alone adds here. The 1-client req/s includes the SQL and bare runs.\n');
  console.log(header);
  console.log('-'.repeat(header.length));
  const row = (label: string, kind: string, http: Summary[], rank: Summary, all: Summary, bare: Summary) =>
    console.log([
      label.padEnd(nameWidth), kind.padEnd(6),
      ...http.map((s) => `${ms(s.p50)} ${ms(s.p95)} ${ms(s.p99)}`.padStart(26)),
      `${ms(rank.p50)} ${ms(rank.p95)}`.padStart(19), ms(all.p50).padStart(11),
      `${(http[0].p50 / rank.p50).toFixed(2)}x`.padStart(9), `${(http[0].p50 / all.p50).toFixed(2)}x`.padStart(8),
      ms(bare.p50).padStart(8), `${(bare.p50 / all.p50).toFixed(2)}x`.padStart(8),
    ].join(' | '));
  const result = MIX.map((query, i) => {
    const http = phases.map((p) => summarise(p.samples[i]));
    const rank = summarise(floor.ranking[i]);
    const all = summarise(floor.request[i]);
    const bare = summarise(bareSamples[i]);
    row(query.name, query.kind, http, rank, all, bare);
    return { query: query.name, kind: query.kind, http, rankSql: rank, requestSql: all, bareHttp: bare };
  });
  console.log('-'.repeat(header.length));
  const overall = phases.map((p) => summarise(p.samples.flat()));
  const overallRank = summarise(floor.ranking.flat());
  const overallAll = summarise(floor.request.flat());
  const overallBare = summarise(bareSamples.flat());
  row('all queries', '', overall, overallRank, overallAll, overallBare);
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
  const oneClient = phases.findIndex((phase) => phase.clients === 1);
  console.log(
    `  The bare server: HTTP p50 overall ${overallBare.p50.toFixed(1)} ms, ${(overallBare.p50 / overallAll.p50).toFixed(2)}x all SQL` +
      (oneClient >= 0 ? `; the app (1 client) adds ${(overall[oneClient].p50 - overallBare.p50).toFixed(1)} ms to it.` : '.'),
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
