/**
 * Loads N synthetic candidates (default 1,000,000) for the search benchmark.
 *
 *   npm run bench:seed                 # 1,000,000 into the bench database
 *   npm run bench:seed -- 200000       # or BENCH_CANDIDATES=200000
 *
 * Target: DATABASE_URL when set, else an embedded PostgreSQL with its data in
 * ./data/bench and a database named silverpool_bench. Migrations run first.
 *
 * Everything is set-based SQL (INSERT ... SELECT over generate_series) in
 * batches, with the secondary indexes dropped during the load and rebuilt
 * after. The data is deterministic: every "random" choice is a hash of the
 * candidate number (hashint8extended), so the same N gives the same rows,
 * ids included, on any server and in any evaluation order. Re-running with
 * the same N is a no-op; another N truncates and reloads.
 */
import { Client } from 'pg';
import { resolve } from 'node:path';
import { EmbeddedDatabase } from '../src/database/embedded-database';
import { runMigrations } from '../src/database/migrate';

export const BENCH_DATABASE = 'silverpool_bench';
export const BENCH_DATA_DIR = resolve(__dirname, '..', 'data', 'bench');
export const DEFAULT_CANDIDATES = 1_000_000;
export const VOCABULARY = 5_000;
/** Bump when the generated data changes, so an old seed of the same N is replaced. */
const SEED_VERSION = 3;
const BATCH = 100_000;

/**
 * Popularity rank (1 = most common) of the skills the migrations seed, so
 * benchmark queries can use real names. Every other rank gets a generated name.
 */
export const CANONICAL_RANKS: Record<string, number> = {
  javascript: 1,
  typescript: 2,
  python: 3,
  'node.js': 4,
  react: 5,
  'amazon web services': 6,
  postgresql: 7,
  'continuous integration': 8,
  kubernetes: 9,
  'c#': 10,
  go: 12,
  '.net': 14,
  angular: 15,
  'c++': 16,
  'vue.js': 18,
  'machine learning': 20,
  mongodb: 22,
  'microsoft azure': 25,
  'google cloud platform': 30,
  graphql: 35,
  kafka: 40,
  terraform: 45,
  elasticsearch: 50,
  'artificial intelligence': 80,
  'ruby on rails': 120,
  'user experience design': 150,
  'user interface design': 200,
};

const PREFIXES = [
  'stream', 'graph', 'cloud', 'data', 'edge', 'micro', 'batch', 'secure', 'neural', 'vector', 'event', 'query',
  'schema', 'signal', 'image', 'speech', 'search', 'cache', 'mobile', 'embedded', 'realtime', 'payment', 'ledger',
  'identity', 'network', 'storage', 'compiler', 'kernel', 'browser', 'design', 'content', 'release', 'observability',
  'test', 'quality', 'pricing', 'risk', 'fraud', 'supply', 'robot', 'sensor', 'geo', 'map', 'audio', 'video',
  'game', 'shader', 'protocol', 'workflow', 'rules', 'report', 'form', 'chart', 'crypto', 'consensus', 'ranking',
  'recommendation', 'forecast', 'billing', 'tenant', 'audit', 'policy', 'access', 'backup', 'queue', 'log',
  'metric', 'trace', 'config', 'package', 'build', 'deploy', 'platform', 'frontend', 'backend',
];
const SUFFIXES = [
  'pipelines', 'modeling', 'orchestration', 'caching', 'tuning', 'analytics', 'engineering', 'automation',
  'architecture', 'design', 'testing', 'security', 'optimization', 'migration', 'integration', 'monitoring',
  'governance', 'operations', 'visualization', 'indexing', 'streaming', 'scheduling', 'federation', 'sharding',
  'replication', 'compression', 'validation', 'profiling', 'debugging', 'rendering', 'serialization', 'routing',
  'encryption', 'hardening', 'compliance', 'localization', 'accessibility', 'prototyping', 'research', 'review',
  'estimation', 'planning', 'simulation', 'inference', 'labeling', 'annotation', 'retrieval', 'extraction',
  'transformation', 'loading', 'partitioning', 'failover', 'recovery', 'provisioning', 'virtualization',
  'containerization', 'instrumentation', 'alerting', 'benchmarking', 'refactoring', 'documentation', 'mentoring',
  'interviewing', 'coaching', 'negotiation', 'budgeting', 'reporting', 'auditing', 'cataloging', 'versioning',
];

/** The skill name at a popularity rank; deterministic, so the benchmark can name rare skills. */
export function benchSkillName(rank: number): string {
  const canonical = Object.entries(CANONICAL_RANKS).find(([, r]) => r === rank);
  if (canonical) return canonical[0];
  // A stride coprime with the number of combinations spreads neighbours over different words.
  const combo = (rank * 7919) % (PREFIXES.length * SUFFIXES.length);
  return `${PREFIXES[combo % PREFIXES.length]} ${SUFFIXES[Math.floor(combo / PREFIXES.length)]}`;
}

export interface BenchDatabase {
  url: string;
  stop(): Promise<void>;
}

/** DATABASE_URL when set; otherwise the embedded server with the bench data folder. */
export async function openBenchDatabase(env: NodeJS.ProcessEnv = process.env): Promise<BenchDatabase> {
  if (env.DATABASE_URL) return { url: env.DATABASE_URL, stop: async () => undefined };
  const embedded = new EmbeddedDatabase(BENCH_DATA_DIR);
  const url = await embedded.start(BENCH_DATABASE);
  return { url, stop: () => embedded.stop() };
}

export function candidateCountFromArgs(argv = process.argv.slice(2), env = process.env): number {
  const raw = argv.find((arg) => /^\d[\d_]*$/.test(arg)) ?? env.BENCH_CANDIDATES ?? String(DEFAULT_CANDIDATES);
  const n = Number(raw.replace(/_/g, ''));
  if (!Number.isInteger(n) || n < 1 || n > 50_000_000) throw new Error(`Candidate count must be 1..50,000,000, got ${raw}`);
  return n;
}

const marker = (n: number) => `silverpool bench seed: n=${n} version=${SEED_VERSION}`;

/**
 * Session helpers. u(i, salt) is a uniform [0, 1) number from a stable hash,
 * pick(list, i, salt) one element of a list.
 */
const HELPERS = `
  CREATE FUNCTION pg_temp.u(i bigint, salt bigint) RETURNS float8
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT (hashint8extended(i, salt) & 2147483647)::float8 / 2147483648.0 $$;
  CREATE FUNCTION pg_temp.pick(list text[], i bigint, salt bigint) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT list[1 + floor(pg_temp.u(i, salt) * cardinality(list))::int] $$;
`;

const FIRST_NAMES = [
  'Alva', 'Elsa', 'Maja', 'Astrid', 'Wilma', 'Freja', 'Ebba', 'Saga', 'Olivia', 'Ella', 'Noah', 'William',
  'Hugo', 'Liam', 'Lucas', 'Oscar', 'Elias', 'Adam', 'Nils', 'Erik', 'Amir', 'Sara', 'Yusuf', 'Mei', 'Priya',
  'Ana', 'Jonas', 'Laura', 'Mateo', 'Sofia', 'Omar', 'Ingrid', 'Kenji', 'Fatima', 'Lars', 'Chloe',
];
const LAST_NAMES = [
  'Andersson', 'Johansson', 'Karlsson', 'Nilsson', 'Eriksson', 'Larsson', 'Olsson', 'Persson', 'Svensson',
  'Gustafsson', 'Lindberg', 'Berg', 'Lund', 'Holm', 'Nguyen', 'Garcia', 'Smith', 'Müller', 'Rossi', 'Kowalski',
  'Novak', 'Haddad', 'Tanaka', 'Singh', 'Silva', 'Jensen', 'Virtanen', 'Hansen', 'Schmidt', 'Dubois',
];
const TITLES = [
  'Backend engineer', 'Frontend developer', 'Full-stack developer', 'Data engineer', 'Platform engineer',
  'Site reliability engineer', 'Mobile developer', 'Machine learning engineer', 'Engineering manager',
  'QA engineer', 'Security engineer', 'Product designer', 'Data scientist', 'Solutions architect',
];
const SENIORITY = ['Junior', 'Mid-level', 'Senior', 'Senior', 'Lead', 'Principal'];
/** Country, city, time zone, locale; earlier rows are picked more often. */
const PLACES = [
  ['SE', 'Stockholm', 'Europe/Stockholm', 'sv'], ['SE', 'Göteborg', 'Europe/Stockholm', 'sv'],
  ['SE', 'Malmö', 'Europe/Stockholm', 'sv'], ['SE', 'Uppsala', 'Europe/Stockholm', 'sv'],
  ['SE', 'Linköping', 'Europe/Stockholm', 'sv'], ['NO', 'Oslo', 'Europe/Oslo', 'en'],
  ['DK', 'København', 'Europe/Copenhagen', 'en'], ['FI', 'Helsinki', 'Europe/Helsinki', 'en'],
  ['DE', 'Berlin', 'Europe/Berlin', 'en'], ['DE', 'München', 'Europe/Berlin', 'en'],
  ['NL', 'Amsterdam', 'Europe/Amsterdam', 'en'], ['GB', 'London', 'Europe/London', 'en'],
  ['PL', 'Warszawa', 'Europe/Warsaw', 'en'], ['ES', 'Barcelona', 'Europe/Madrid', 'en'],
  ['PT', 'Lisboa', 'Europe/Lisbon', 'en'], ['FR', 'Paris', 'Europe/Paris', 'en'],
  ['EE', 'Tallinn', 'Europe/Tallinn', 'en'], ['IE', 'Dublin', 'Europe/Dublin', 'en'],
  ['US', 'New York', 'America/New_York', 'en'], ['IN', 'Bengaluru', 'Asia/Kolkata', 'en'],
];
/** Tag and the share of candidates carrying it. */
const TAGS: [string, number][] = [
  ['silver-medalist', 0.3], ['referral', 0.15], ['remote-ok', 0.25], ['relocation', 0.08], ['senior', 0.2],
  ['leadership', 0.07], ['contractor', 0.05], ['returning', 0.04], ['conference', 0.03], ['bootcamp', 0.02],
  ['hackathon', 0.015], ['alumni', 0.01],
];
const SOURCES = ['application', 'referral', 'linkedin', 'event', 'agency', 'import'];

async function seed(client: Client, n: number): Promise<void> {
  const lap = stopwatch();
  await client.query(HELPERS);
  await client.query(`SET work_mem = '256MB'`);
  await client.query(`SET maintenance_work_mem = '1GB'`);
  await client.query(`SET max_parallel_maintenance_workers = 2`);

  const [{ comment, count }] = (await client.query(
    `SELECT obj_description('candidate'::regclass, 'pg_class') AS comment,
            (SELECT count(*) FROM candidate)::bigint AS count`,
  )).rows;
  if (comment === marker(n) && Number(count) === n) {
    console.log(`Already seeded with ${n.toLocaleString('en')} candidates (${marker(n)}); nothing to do.`);
    return;
  }

  await client.query('BEGIN');
  // Skip foreign-key triggers while bulk loading rows we generate consistently (needs superuser; optional).
  const replica = await client.query(`SET LOCAL session_replication_role = replica`).then(() => true, () => false);
  if (!replica) {
    await client.query('ROLLBACK');
    await client.query('BEGIN');
  }
  // CASCADE: other features' tables hang off candidate; in the bench database they hold nothing worth keeping.
  await client.query(`TRUNCATE candidate, candidate_skill, consent CASCADE`);
  const indexes = await dropSecondaryIndexes(client);
  await vocabulary(client);
  console.log(`  vocabulary of ${VOCABULARY} skills ready${lap()}`);

  for (let from = 1; from <= n; from += BATCH) {
    const to = Math.min(n, from + BATCH - 1);
    await insertCandidates(client, from, to);
    await insertSkills(client, from, to);
    await insertConsents(client, from, to);
    process.stdout.write(`  candidates ${from.toLocaleString('en')}..${to.toLocaleString('en')}${lap()}\n`);
  }
  await denormalise(client);
  console.log(`  derived search columns${lap()}`);
  for (const definition of indexes) await client.query(definition);
  console.log(`  rebuilt ${indexes.length} indexes${lap()}`);
  await client.query('COMMIT');
  // Consents and skill_keys were set by UPDATEs after the INSERTs: rewrite the table and its
  // indexes compactly, as a long-lived table would be, rather than benchmark a half-empty one.
  await client.query('VACUUM (FULL) candidate');
  console.log(`  compacted candidate${lap()}`);
  await client.query('VACUUM (ANALYZE) candidate, candidate_skill, consent, skill');
  console.log(`  vacuum analyze${lap()}`);
  await client.query(`COMMENT ON TABLE candidate IS '${marker(n)}'`);
}

/** Drops the indexes no constraint depends on; returns their definitions to rebuild after the load. */
async function dropSecondaryIndexes(client: Client): Promise<string[]> {
  const { rows } = await client.query<{ name: string; definition: string }>(
    `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS definition
     FROM pg_index i
     WHERE i.indrelid IN ('candidate'::regclass, 'candidate_skill'::regclass, 'consent'::regclass)
       AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
     ORDER BY 1`,
  );
  for (const { name } of rows) await client.query(`DROP INDEX ${name}`);
  return rows.map((row) => row.definition);
}

/** The bench vocabulary: rank -> skill id, canonical names at their ranks, generated names elsewhere. */
async function vocabulary(client: Client): Promise<void> {
  const names = Array.from({ length: VOCABULARY }, (_, i) => benchSkillName(i + 1));
  if (new Set(names).size !== names.length) throw new Error('Generated skill names collide');
  await client.query(`INSERT INTO skill (name) SELECT unnest($1::text[]) ON CONFLICT (name) DO NOTHING`, [names]);
  await client.query(`DROP TABLE IF EXISTS pg_temp.vocab`);
  await client.query(
    `CREATE TEMP TABLE vocab AS
     SELECT v.rank::int, s.id AS skill_id FROM unnest($1::text[]) WITH ORDINALITY AS v(name, rank)
     JOIN skill s ON s.name = v.name`,
    [names],
  );
  await client.query(`ALTER TABLE vocab ADD PRIMARY KEY (rank)`);
}

const uuidOf = (i: string) => `md5('silverpool-bench-' || ${i})::uuid`;

async function insertCandidates(client: Client, from: number, to: number): Promise<void> {
  const tagNames = TAGS.map(([tag]) => tag);
  const tagShares = TAGS.map(([, share]) => share);
  // Place index skewed toward the first rows: u^2 over the list.
  await client.query(
    `INSERT INTO candidate (id, full_name, email, phone, city, country, time_zone, locale, headline, profile_url,
                            tags, source, status, created_at, updated_at)
     SELECT ${uuidOf('i')},
            pg_temp.pick($3, i, 1) || ' ' || pg_temp.pick($4, i, 2),
            'c' || i || '@bench.example',
            CASE WHEN pg_temp.u(i, 3) < 0.5 THEN '+46 70 ' || lpad((i % 10000000)::text, 7, '0') END,
            p.city, p.country, p.zone, p.locale,
            pg_temp.pick($5, i, 4) || ' ' || lower(pg_temp.pick($6, i, 5)),
            CASE WHEN pg_temp.u(i, 6) < 0.3 THEN 'https://example.com/in/c' || i END,
            ARRAY(SELECT t.tag FROM unnest($7::text[], $8::float8[]) WITH ORDINALITY AS t(tag, share, k)
                  WHERE pg_temp.u(i * 64 + k, 7) < t.share),
            pg_temp.pick($9, i, 8),
            CASE WHEN r.s < 0.85 THEN 'active' WHEN r.s < 0.90 THEN 'hired'
                 WHEN r.s < 0.95 THEN 'archived' ELSE 'opted_out' END,
            t.created_at,
            t.created_at + (now() - t.created_at) * pg_temp.u(i, 11)
     FROM generate_series($1::bigint, $2::bigint) AS i
     CROSS JOIN LATERAL (SELECT pg_temp.u(i, 9) AS s) r
     CROSS JOIN LATERAL (SELECT now() - interval '5 years' * pg_temp.u(i, 10) AS created_at) t
     CROSS JOIN LATERAL (
       SELECT place[1] AS country, place[2] AS city, place[3] AS zone, place[4] AS locale
       FROM (SELECT string_to_array(($10::text[])[1 + floor(pow(pg_temp.u(i, 12), 2) * $11)::int], '|')) x(place)
     ) p`,
    [
      from, to, FIRST_NAMES, LAST_NAMES, SENIORITY, TITLES, tagNames, tagShares, SOURCES,
      PLACES.map((place) => place.join('|')), PLACES.length,
    ],
  );
}

/**
 * 3-8 distinct skills per candidate. Ranks follow a log-uniform law
 * (P(rank <= r) = ln(r + 1) / ln(V + 1)), a continuous Zipf(s = 1): the top
 * skill is about 8% of all draws, rank 1,000 about 0.01%. Twelve draws, keep
 * the first n distinct. Levels: 15% unknown, else 1-5 centred on 3.
 */
async function insertSkills(client: Client, from: number, to: number): Promise<void> {
  await client.query(
    `INSERT INTO candidate_skill (candidate_id, skill_id, level)
     SELECT ${uuidOf('d.i')}, v.skill_id,
            CASE WHEN l.x < 0.15 THEN NULL WHEN l.x < 0.25 THEN 1 WHEN l.x < 0.45 THEN 2
                 WHEN l.x < 0.70 THEN 3 WHEN l.x < 0.90 THEN 4 ELSE 5 END::smallint
     FROM (
       SELECT i, rank, row_number() OVER (PARTITION BY i ORDER BY first_draw) AS position
       FROM (
         SELECT i, least($3::int, floor(exp(pg_temp.u(i * 16 + j, 20) * ln($3::float8 + 1)))::int) AS rank, min(j) AS first_draw
         FROM generate_series($1::bigint, $2::bigint) AS i, generate_series(1, 12) AS j
         GROUP BY 1, 2
       ) draws
     ) d
     JOIN vocab v ON v.rank = d.rank
     CROSS JOIN LATERAL (SELECT pg_temp.u(d.i * 16 + d.rank, 21) AS x) l
     WHERE d.position <= 3 + floor(pg_temp.u(d.i, 22) * 6)`,
    [from, to, VOCABULARY],
  );
}

/**
 * Talent-pool consent: 60% valid now, 10% expired, 5% withdrawn, 25% never
 * asked. The candidate row mirrors the latest consent, as ConsentService keeps it.
 */
async function insertConsents(client: Client, from: number, to: number): Promise<void> {
  await client.query(
    `WITH given AS (
       SELECT i, k.kind,
              CASE k.kind WHEN 'expired' THEN now() - interval '1 day' * (400 + 300 * pg_temp.u(i, 31))
                          ELSE now() - interval '1 day' * (1 + 300 * pg_temp.u(i, 31)) END AS granted_at
       FROM generate_series($1::bigint, $2::bigint) AS i
       CROSS JOIN LATERAL (SELECT CASE WHEN pg_temp.u(i, 30) < 0.60 THEN 'valid' WHEN pg_temp.u(i, 30) < 0.70 THEN 'expired'
                                       WHEN pg_temp.u(i, 30) < 0.75 THEN 'withdrawn' END AS kind) k
       WHERE k.kind IS NOT NULL
     ), rows AS (
       SELECT i, granted_at, granted_at + interval '12 months' AS expires_at,
              CASE WHEN kind = 'withdrawn' THEN granted_at + (now() - granted_at) * pg_temp.u(i, 32) END AS withdrawn_at
       FROM given
     ), inserted AS (
       INSERT INTO consent (candidate_id, scope, text_version, source, granted_at, expires_at, withdrawn_at, created_at)
       SELECT ${uuidOf('i')}, 'talent_pool', '2025-01',
              (ARRAY['application_form', 'email_reply', 'verbal', 'email_link'])[1 + floor(pg_temp.u(i, 33) * 4)::int],
              granted_at, expires_at, withdrawn_at, granted_at
       FROM rows
     )
     UPDATE candidate c SET consent_expires_at = r.expires_at, consent_withdrawn_at = r.withdrawn_at
     FROM rows r WHERE c.id = ${uuidOf('r.i')}`,
    [from, to],
  );
}

/**
 * candidate.skill_keys, derived from candidate_skill by the CandidateSkillKeys
 * migration's function. Its triggers keep it in step on ordinary writes; the
 * load above ran with triggers off (replica mode), so it is filled here at once.
 */
async function denormalise(client: Client): Promise<void> {
  await client.query(`UPDATE candidate SET skill_keys = candidate_skill_keys(id)`);
}

function stopwatch(): () => string {
  const start = Date.now();
  let last = start;
  return () => {
    const now = Date.now();
    const text = ` (+${((now - last) / 1000).toFixed(1)} s, ${((now - start) / 1000).toFixed(1)} s total)`;
    last = now;
    return text;
  };
}

async function main(): Promise<void> {
  const n = candidateCountFromArgs();
  const started = Date.now();
  const database = await openBenchDatabase();
  try {
    await runMigrations(database.url);
    const client = new Client({ connectionString: database.url, application_name: 'silverpool-bench-seed' });
    await client.connect();
    try {
      console.log(`Seeding ${n.toLocaleString('en')} candidates into ${new URL(database.url).pathname.slice(1)}`);
      await seed(client, n);
    } finally {
      await client.end();
    }
    console.log(`Done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await database.stop();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
