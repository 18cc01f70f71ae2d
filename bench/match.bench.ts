/**
 * Matching benchmark: the live ranking of the pool for a fixed set of
 * vacancies with 8 weighted skills (2 required), top 100 with explanations,
 * over HTTP against the running app, and the same ranking as plain SQL
 * through pg (the floor the app cannot beat).
 *
 *   npm run bench:seed && npm run bench:match
 *
 * Database: DATABASE_URL, else the embedded bench server (see seed.ts). The
 * seed has candidates, skills and consents only; this adds, once and
 * set-based, a history for matching to read: past (filled) vacancies with
 * criteria, 40 candidacies each at every stage, silver and bronze medals,
 * gap skills, promises, and their timeline entries; and the open vacancies
 * benchmarked. Re-running finds its marker and adds nothing.
 *
 * Knobs: BENCH_REPEAT (rounds over the vacancy set, default 40: a median of
 * fewer moved by 0.1x between runs on this VM),
 * BENCH_PAST_VACANCIES (default candidates / 400). The app runs in a child
 * process (bench/app-process.ts: compiled, or BENCH_APP=ts-node), with its
 * scheduler off. Results are also written to bench/results/.
 */
import { loadConfig } from '../src/config/app-config';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { runMigrations } from '../src/database/migrate';
import { rankingStatement, tiersOf } from '../src/matching/match-ranking';
import { matchSpec, MatchSpec } from '../src/matching/match-spec';
import { DEFAULT_WEIGHTS } from '../src/matching/match-weights';
import { RAISE_MALLOC_THRESHOLDS } from '../src/database/open-data-source';
import { AppProcess, startApp } from './app-process';
import { positiveInt } from './settings';
import { agent, httpJson } from './http-client';
import { benchSkillName, openBenchDatabase } from './seed';

const REPEAT = positiveInt(process.env.BENCH_REPEAT, 40);
const LIMIT = 100;
const WARMUP = 2;
const HISTORY_VERSION = 1;

interface BenchVacancy {
  name: string;
  team: string;
  location: string;
  /** Two required skills, then six more; weights 5, 4 | 4, 3, 3, 2, 2, 1. */
  skills: string[];
}

const rare = (rank: number) => benchSkillName(rank);

/** The fixed set. Popularity in the seed: javascript ~37% of candidates, typescript ~24%, react ~12%, kafka ~1.6%. */
const VACANCIES: BenchVacancy[] = [
  { name: 'platform', team: 'Platform', location: 'Stockholm (hybrid)',
    skills: ['kubernetes', 'go', 'terraform', 'amazon web services', 'postgresql', 'kafka', rare(60), rare(150)] },
  { name: 'backend', team: 'Backend', location: 'Stockholm, SE',
    skills: ['typescript', 'postgresql', 'node.js', 'graphql', 'amazon web services', 'kafka', 'react', rare(90)] },
  { name: 'data', team: 'Data', location: 'Göteborg, SE',
    skills: ['python', 'kafka', 'postgresql', 'machine learning', 'google cloud platform', 'terraform', rare(70), rare(200)] },
  { name: 'frontend', team: 'Web', location: 'Remote',
    skills: ['react', 'typescript', 'javascript', 'graphql', 'vue.js', 'node.js', rare(110), rare(300)] },
  { name: 'dotnet', team: 'Payments', location: 'Malmö',
    skills: ['c#', '.net', 'microsoft azure', 'postgresql', 'kafka', 'angular', rare(55), rare(130)] },
  { name: 'ml', team: 'Search', location: 'Berlin, DE',
    skills: ['python', 'machine learning', 'artificial intelligence', 'elasticsearch', 'kubernetes', 'google cloud platform', rare(85), rare(170)] },
  { name: 'fullstack', team: 'Web', location: 'Stockholm',
    skills: ['javascript', 'react', 'node.js', 'typescript', 'mongodb', 'graphql', rare(65), rare(240)] },
  { name: 'rare required', team: 'Infra', location: 'Remote',
    skills: ['terraform', rare(800), 'kubernetes', 'go', 'amazon web services', 'python', rare(400), rare(900)] },
];
const WEIGHTS = [5, 4, 4, 3, 3, 2, 2, 1];
const TEAMS = ['Platform', 'Backend', 'Data', 'Web', 'Payments', 'Search', 'Infra', 'Mobile'];

const vacancyId = (index: number) => `md5('silverpool-bench-match-vacancy-' || ${index})::uuid`;

// ---------------------------------------------------------------------------
// The history matching reads, added once
// ---------------------------------------------------------------------------

const HELPERS = `
  CREATE OR REPLACE FUNCTION pg_temp.u(i bigint, salt bigint) RETURNS float8
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT (hashint8extended(i, salt) & 2147483647)::float8 / 2147483648.0 $$;
`;

async function ensureHistory(client: Client, candidates: number): Promise<void> {
  const past = positiveInt(process.env.BENCH_PAST_VACANCIES, Math.max(10, Math.round(candidates / 400)));
  const marker = { version: HISTORY_VERSION, candidates, past };
  // The marker, and the rows it stands for: re-seeding truncates candidates and everything hanging off them.
  const [existing] = (await client.query(
    `SELECT report, EXISTS (SELECT 1 FROM candidacy WHERE id = md5('silverpool-bench-candidacy-1-1')::uuid) AS present
     FROM job_run WHERE job = 'bench_match_history' AND run_on = '2000-01-01'`,
  )).rows;
  const same = existing && Object.entries(marker).every(([key, value]) => existing.report?.[key] === value);
  if (existing?.present && same) {
    console.log(`History already there (${past} past vacancies); nothing to add.`);
    return;
  }
  const started = Date.now();
  await client.query(HELPERS);
  await client.query('BEGIN');
  await client.query(`SET LOCAL work_mem = '256MB'`);
  // A different size or version: remove the previous bench history (only rows this file made).
  await client.query(
    `DELETE FROM touchpoint WHERE payload->>'vacancyId' IN (SELECT id::text FROM vacancy WHERE hiring_manager_email = 'bench.manager@bench.example')`,
  );
  await client.query(`DELETE FROM vacancy WHERE hiring_manager_email = 'bench.manager@bench.example'`);
  await client.query(`DELETE FROM job_run WHERE job = 'bench_match_history'`);
  const ranks = Array.from({ length: 300 }, (_, i) => benchSkillName(i + 1));
  await client.query(`CREATE TEMP TABLE bench_rank ON COMMIT DROP AS
    SELECT r.rank::int, s.id AS skill_id FROM unnest($1::text[]) WITH ORDINALITY AS r(name, rank) JOIN skill s ON s.name = r.name`, [ranks]);

  await client.query(
    `INSERT INTO vacancy (id, title, team, location, hiring_manager_name, hiring_manager_email, status, expected_decision_date,
                          opened_at, closed_at, created_at, updated_at)
     SELECT md5('silverpool-bench-past-vacancy-' || i)::uuid, 'Past role ' || i, ($2::text[])[1 + floor(pg_temp.u(i, 1) * 8)::int],
            'Stockholm', 'Bench Manager', 'bench.manager@bench.example', 'filled', (t.closed - interval '10 days')::date,
            t.closed - interval '60 days', t.closed, t.closed - interval '60 days', t.closed
     FROM generate_series(1, $1::int) AS i
     CROSS JOIN LATERAL (SELECT now() - interval '1 day' * (20 + 700 * pg_temp.u(i, 2)) AS closed) t`,
    [past, TEAMS],
  );
  // Five criteria each from the 300 most common skills, log-uniform like the seed's draws.
  await client.query(
    `INSERT INTO vacancy_criterion (vacancy_id, skill_id, weight, required)
     SELECT DISTINCT ON (v, r.skill_id) md5('silverpool-bench-past-vacancy-' || v)::uuid, r.skill_id, 1 + floor(pg_temp.u(v * 16 + j, 4) * 5)::int, j <= 2
     FROM generate_series(1, $1::int) AS v CROSS JOIN generate_series(1, 5) AS j
     JOIN bench_rank r ON r.rank = least(300, floor(exp(pg_temp.u(v * 16 + j, 3) * ln(301)))::int)
     ON CONFLICT DO NOTHING`,
    [past],
  );
  // 40 candidacies per past vacancy: 2 ranked finalists (silver, bronze), 2 more finalists, 6 interviews,
  // 10 phone screens, 20 applications; all rejected; 30% of silver medalists were promised the next role of the team.
  await client.query(
    `INSERT INTO candidacy (id, candidate_id, vacancy_id, stage, outcome, finalist_rank, reasons, promise, decided_at,
                            decision_source, created_at, updated_at)
     SELECT md5('silverpool-bench-candidacy-' || v || '-' || j)::uuid,
            md5('silverpool-bench-' || (1 + floor(pg_temp.u(v * 64 + j, 5) * $2::int))::bigint)::uuid,
            vac.id,
            CASE WHEN j <= 4 THEN 'final' WHEN j <= 10 THEN 'interview' WHEN j <= 20 THEN 'screening' ELSE 'applied' END,
            'rejected', CASE j WHEN 1 THEN 2 WHEN 2 THEN 3 END, '[]',
            CASE WHEN j = 1 AND pg_temp.u(v, 6) < 0.3
                 THEN jsonb_build_object('text', 'We will contact you first for the next ' || lower(vac.team) || ' role.',
                                         'skills', '[]'::jsonb, 'team', vac.team) END,
            vac.closed_at - interval '1 day', 'recruiter', vac.created_at + interval '1 day', vac.closed_at - interval '1 day'
     FROM generate_series(1, $1::int) AS v
     JOIN vacancy vac ON vac.id = md5('silverpool-bench-past-vacancy-' || v)::uuid
     CROSS JOIN generate_series(1, 40) AS j
     ON CONFLICT DO NOTHING`,
    [past, candidates],
  );
  await client.query(
    `INSERT INTO medal (candidacy_id, candidate_id, vacancy_id, medal, rank, awarded_at, pool_status, pool_updated_at)
     SELECT cy.id, cy.candidate_id, cy.vacancy_id, CASE cy.finalist_rank WHEN 2 THEN 'silver' ELSE 'bronze' END, cy.finalist_rank,
            cy.decided_at, 'enrolled', cy.decided_at
     FROM candidacy cy JOIN vacancy v ON v.id = cy.vacancy_id
     WHERE v.hiring_manager_email = 'bench.manager@bench.example' AND cy.finalist_rank IS NOT NULL
     ON CONFLICT DO NOTHING`,
  );
  // The gap: one of the vacancy's criteria for interviews, two for finalists.
  await client.query(
    `INSERT INTO candidacy_gap_skill (candidacy_id, skill_id, source)
     SELECT cy.id, g.skill_id, 'decision'
     FROM candidacy cy JOIN vacancy v ON v.id = cy.vacancy_id
     CROSS JOIN LATERAL (SELECT vc.skill_id FROM vacancy_criterion vc WHERE vc.vacancy_id = cy.vacancy_id
                         ORDER BY hashtext(cy.id::text || vc.skill_id) LIMIT CASE WHEN cy.stage = 'final' THEN 2 ELSE 1 END) g
     WHERE v.hiring_manager_email = 'bench.manager@bench.example' AND cy.stage IN ('final', 'interview')
     ON CONFLICT DO NOTHING`,
  );
  await client.query(
    `INSERT INTO touchpoint (candidate_id, type, occurred_at, payload)
     SELECT cy.candidate_id, e.type, e.at, jsonb_build_object('candidacyId', cy.id, 'vacancyId', cy.vacancy_id)
     FROM candidacy cy JOIN vacancy v ON v.id = cy.vacancy_id
     CROSS JOIN LATERAL (VALUES ('candidacy_created', cy.created_at), ('decision_recorded', cy.decided_at),
                                ('feedback_given', CASE WHEN cy.stage <> 'applied' THEN cy.decided_at + interval '3 days' END)) AS e(type, at)
     WHERE v.hiring_manager_email = 'bench.manager@bench.example' AND e.at IS NOT NULL`,
  );
  // The open vacancies benchmarked.
  for (const [index, vacancy] of VACANCIES.entries()) {
    await client.query(
      `INSERT INTO vacancy (id, title, team, location, hiring_manager_name, hiring_manager_email, status, expected_decision_date,
                            opened_at, created_at, updated_at)
       VALUES (${vacancyId(index)}, $1, $2, $3, 'Bench Manager', 'bench.manager@bench.example', 'open', (now() + interval '30 days')::date,
               now(), now(), now())`,
      [`Bench ${vacancy.name}`, vacancy.team, vacancy.location],
    );
    await client.query(
      `INSERT INTO vacancy_criterion (vacancy_id, skill_id, weight, required)
       SELECT ${vacancyId(index)}, s.id, w.weight, w.n <= 2
       FROM unnest($1::text[], $2::int[]) WITH ORDINALITY AS w(name, weight, n) JOIN skill s ON s.name = w.name`,
      [vacancy.skills, WEIGHTS],
    );
  }
  await client.query(
    `INSERT INTO job_run (job, run_on, started_at, report) VALUES ('bench_match_history', '2000-01-01', now(), $1)`,
    [JSON.stringify(marker)],
  );
  await client.query('COMMIT');
  await client.query('VACUUM (ANALYZE) vacancy, vacancy_criterion, candidacy, medal, candidacy_gap_skill, touchpoint');
  const counts = (await client.query(
    `SELECT (SELECT count(*) FROM candidacy)::int AS candidacies, (SELECT count(*) FROM medal)::int AS medals,
            (SELECT count(*) FROM candidacy_gap_skill)::int AS gaps, (SELECT count(*) FROM candidacy WHERE promise IS NOT NULL)::int AS promises,
            (SELECT count(*) FROM touchpoint)::int AS touchpoints`,
  )).rows[0];
  console.log(`History added in ${((Date.now() - started) / 1000).toFixed(1)} s: ${past} past vacancies, ${JSON.stringify(counts)}`);
}

/**
 * match_pool follows candidate through triggers; the seed loads with triggers off (replica mode),
 * so after a fresh seed the pool is rebuilt once.
 */
async function ensurePool(client: Client): Promise<void> {
  const [{ pool, eligible }] = (await client.query(
    `SELECT (SELECT count(*) FROM match_pool)::int AS pool,
            (SELECT count(*) FROM candidate WHERE status = 'active' AND unsubscribed_at IS NULL
               AND consent_withdrawn_at IS NULL AND consent_expires_at IS NOT NULL)::int AS eligible`,
  )).rows;
  if (pool === eligible) return;
  const started = Date.now();
  await client.query(`SELECT match_pool_rebuild()`);
  await client.query(`ANALYZE match_pool`);
  console.log(`match_pool rebuilt (${pool} -> ${eligible} rows) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

interface MatchPage {
  items: { candidate: { id: string } }[];
}

// ---------------------------------------------------------------------------
// The floor: the ranking statements the service runs, straight through pg
// ---------------------------------------------------------------------------

async function loadSpecs(client: Client): Promise<{ id: string; spec: Omit<MatchSpec, 'now'> }[]> {
  const specs = [];
  for (const index of VACANCIES.keys()) {
    const [vacancy] = (await client.query(`SELECT id, title, team, location FROM vacancy WHERE id = ${vacancyId(index)}`)).rows;
    const criteria = (await client.query(
      `SELECT vc.skill_id AS "skillId", s.name, vc.weight, vc.required FROM vacancy_criterion vc JOIN skill s ON s.id = vc.skill_id
       WHERE vc.vacancy_id = $1`,
      [vacancy.id],
    )).rows;
    if (criteria.length !== 8) throw new Error(`Bench vacancy ${VACANCIES[index].name} has ${criteria.length} criteria, expected 8`);
    specs.push({ id: vacancy.id as string, spec: matchSpec(vacancy, criteria, DEFAULT_WEIGHTS, new Date(), loadConfig().DEFAULT_TIME_ZONE) });
  }
  return specs;
}

/** Tier by tier, as MatchRanker runs them (the suppression check on the page is the app's extra). */
async function floorRanking(client: Client, spec: MatchSpec): Promise<{ ids: string[]; tiers: number }> {
  const ids: string[] = [];
  let tiers = 0;
  for (const tier of tiersOf(spec)) {
    const statement = rankingStatement(spec, { tier, need: LIMIT + 1 - ids.length, minScore: 0 });
    if (!statement) break;
    tiers++;
    const rows = (await client.query<{ id: string }>(statement.sql, statement.params)).rows;
    ids.push(...rows.map((row) => row.id));
    if (ids.length > LIMIT) break;
  }
  return { ids: ids.slice(0, LIMIT), tiers };
}

// ---------------------------------------------------------------------------

interface Summary {
  n: number;
  p50: number;
  p95: number;
}

function summarise(samples: number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? NaN;
  return { n: sorted.length, p50: at(0.5), p95: at(0.95) };
}

const elapsedMs = (from: bigint) => Number(process.hrtime.bigint() - from) / 1e6;

async function main(): Promise<void> {
  const database = await openBenchDatabase();
  let app: AppProcess | undefined;
  // JIT off, as on the app's own connections (src/database/data-source-options.ts).
  const client = new Client({ connectionString: database.url, application_name: 'silverpool-bench-match', options: '-c jit=off' });
  try {
    await runMigrations(database.url);
    await client.connect();
    // Prepared as the app prepares each of its connections (src/database/open-data-source.ts).
    await client.query(RAISE_MALLOC_THRESHOLDS);
    const { rows } = await client.query<{ n: string; version: string }>(
      `SELECT (SELECT count(*) FROM candidate) AS n, current_setting('server_version') AS version`,
    );
    const candidates = Number(rows[0].n);
    if (candidates === 0) throw new Error('The bench database has no candidates: run `npm run bench:seed` first.');
    console.log(`Silverpool matching benchmark: ${candidates.toLocaleString('en')} candidates, PostgreSQL ${rows[0].version}`);
    await ensureHistory(client, candidates);
    await ensurePool(client);
    const specs = await loadSpecs(client);
    console.log(`${VACANCIES.length} vacancies x ${REPEAT} rounds, top ${LIMIT} with explanations; ${cpus().length} CPUs; ` +
      `load average before: ${loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);

    const adminKey = `sp_bench_${randomBytes(24).toString('hex')}`;
    app = await startApp(database.url, adminKey, { LOG_LEVEL: process.env.BENCH_APP_LOG_LEVEL ?? 'warn', SCHEDULER_ENABLED: 'false' });
    const auth = { authorization: `Bearer ${adminKey}` };
    const path = (i: number) => `/api/v1/vacancies/${specs[i].id}/matches?limit=${LIMIT}`;

    const http: number[][] = VACANCIES.map(() => []);
    const floor: number[][] = VACANCIES.map(() => []);
    const mismatches: string[] = [];
    const tiers: number[] = [];
    for (const [i] of VACANCIES.entries()) {
      const page = await httpJson<MatchPage>(app.port, 'GET', path(i), auth);
      if (page.status !== 200) throw new Error(`${VACANCIES[i].name}: HTTP ${page.status} ${JSON.stringify(page.body)}`);
      const sql = await floorRanking(client, { ...specs[i].spec, now: new Date() });
      tiers[i] = sql.tiers;
      if (page.body.items.map((item) => item.candidate.id).join() !== sql.ids.join()) mismatches.push(VACANCIES[i].name);
      for (let w = 0; w < WARMUP; w++) {
        await httpJson(app.port, 'GET', path(i), auth);
        await floorRanking(client, { ...specs[i].spec, now: new Date() });
      }
    }
    const timeHttp = async (i: number) => {
      http[i].push((await httpJson(app!.port, 'GET', path(i), auth)).ms);
    };
    const timeSql = async (i: number) => {
      const started = process.hrtime.bigint();
      await floorRanking(client, { ...specs[i].spec, now: new Date() });
      floor[i].push(elapsedMs(started));
    };
    // Whichever side runs a vacancy second finds its pages in PostgreSQL's cache and the CPU warm: the
    // two sides take turns going first, so neither gets that for free.
    for (let round = 0; round < REPEAT; round++) {
      for (const [i] of VACANCIES.entries()) {
        if (round % 2 === 0) await timeHttp(i).then(() => timeSql(i));
        else await timeSql(i).then(() => timeHttp(i));
      }
    }

    const ms = (value: number) => value.toFixed(1).padStart(7);
    const width = Math.max(...VACANCIES.map((v) => v.name.length), 12);
    console.log('Latency in ms. HTTP: GET /api/v1/vacancies/:id/matches?limit=100 (ranking, explanations, JSON), to the last byte.');
    console.log('SQL: the same ranking statements through pg, the floor.\n');
    const header = `${'vacancy'.padEnd(width)} | tiers | HTTP p50     p95 | SQL p50     p95 | HTTP/SQL p50`;
    console.log(header);
    console.log('-'.repeat(header.length));
    const result = VACANCIES.map((vacancy, i) => {
      const h = summarise(http[i]);
      const f = summarise(floor[i]);
      console.log(`${vacancy.name.padEnd(width)} | ${String(tiers[i]).padStart(5)} | ${ms(h.p50)} ${ms(h.p95)} | ${ms(f.p50)} ${ms(f.p95)} | ${(h.p50 / f.p50).toFixed(2).padStart(11)}x`);
      return { vacancy: vacancy.name, skills: vacancy.skills, tiers: tiers[i], http: h, sql: f };
    });
    console.log('-'.repeat(header.length));
    const allHttp = summarise(http.flat());
    const allSql = summarise(floor.flat());
    console.log(`${'all'.padEnd(width)} |       | ${ms(allHttp.p50)} ${ms(allHttp.p95)} | ${ms(allSql.p50)} ${ms(allSql.p95)} | ${(allHttp.p50 / allSql.p50).toFixed(2).padStart(11)}x`);
    const total = (samples: number[][]) => samples.flat().reduce((sum, ms) => sum + ms, 0);
    const perVacancy = result.map((r) => r.http.p50 / r.sql.p50).sort((a, b) => a - b);
    console.log(`\nTargets: HTTP p95 ${allHttp.p95.toFixed(1)} ms [<= 300]; HTTP/SQL [<= 1.3]: p50 ${(allHttp.p50 / allSql.p50).toFixed(2)}x, ` +
      `p95 ${(allHttp.p95 / allSql.p95).toFixed(2)}x, total time ${(total(http) / total(floor)).toFixed(2)}x, ` +
      `per vacancy p50 ${perVacancy[0].toFixed(2)}x-${perVacancy[perVacancy.length - 1].toFixed(2)}x`);
    console.log('  (the HTTP side also checks the key, reads the vacancy, writes the explanations and ~180 kB of JSON: ~4-6 ms on this machine)');
    console.log(`Load average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')} (other processes share these CPUs)`);
    console.log(mismatches.length ? `Ranking mismatch HTTP vs SQL: ${mismatches.join(', ')}` : 'HTTP and SQL returned the same top 100 for every vacancy.');
    const dir = join(__dirname, 'results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `match-${new Date().toISOString().replace(/[:.]/g, '-')}.json`), JSON.stringify({
      at: new Date().toISOString(), candidates, repeat: REPEAT, load: loadavg(), result, overall: { http: allHttp, sql: allSql }, mismatches,
    }, null, 2));
  } finally {
    await app?.stop();
    agent.destroy();
    await client.end().catch(() => undefined);
    await database.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
