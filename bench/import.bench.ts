/**
 * Bulk import benchmark: POSTs a generated CSV to /api/v1/candidates/import
 * over HTTP and prints throughput and memory.
 *
 *   npm run bench:import                # 100,000 rows
 *   npm run bench:import -- 400000      # or BENCH_IMPORT_ROWS=400000 (about 100 MB)
 *
 * The app runs in this process against a fresh database: on DATABASE_URL's
 * server when set, else on an embedded PostgreSQL with its data in
 * ./data/bench-import. The CSV is generated while it is sent, so the
 * process's memory is the app's. Target: 100k rows in under 20 s.
 */
import { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { AddressInfo } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { Readable } from 'node:stream';
import { createApp } from '../src/bootstrap';
import { loadConfig } from '../src/config/app-config';
import { freshDatabase } from './fresh-database';

const ROWS = Number(process.argv[2] ?? process.env.BENCH_IMPORT_ROWS ?? 100_000);
const TARGET_SECONDS = 20;
const DATABASE = 'silverpool_import_bench';
const ROWS_PER_CHUNK = 500;

const SKILLS = ['typescript', 'JS', 'postgres', 'python', 'react', 'go', 'kubernetes', 'c#', 'java', 'terraform', 'graphql', 'rust'];
const CITIES = ['Stockholm', 'Göteborg', 'Malmö', 'Uppsala', 'Oslo', 'Berlin', 'London'];
const COUNTRIES = ['SE', 'SE', 'SE', 'NO', 'DE', 'GB'];
const TAGS = ['remote', 'senior', 'junior', 'contractor', 'silver-medalist'];

/** Deterministic spread, so every run imports the same file. */
const pick = <T>(list: T[], n: number, salt: number) => list[(n * 7919 + salt * 104729) % list.length];

function csvLine(n: number): string {
  const skills = [0, 1, 2].map((salt) => `${pick(SKILLS, n, salt)}:${1 + ((n + salt) % 5)}`).join(';');
  const tags = `${pick(TAGS, n, 7)};${pick(TAGS, n, 11)}`;
  return [
    `Candidate ${n}`, `candidate${n}@example.com`, `+46 70 ${String(n).padStart(7, '0')}`, pick(CITIES, n, 3),
    pick(COUNTRIES, n, 5), `"Engineer, ${n % 15} years"`, skills, tags, 'bench',
  ].join(',');
}

async function* csvFile(rows: number): AsyncGenerator<string> {
  yield 'full_name,email,phone,city,country,headline,skills,tags,source\n';
  for (let start = 0; start < rows; start += ROWS_PER_CHUNK) {
    const lines: string[] = [];
    for (let n = start; n < Math.min(rows, start + ROWS_PER_CHUNK); n++) lines.push(csvLine(n));
    yield `${lines.join('\n')}\n`;
  }
}

/** CPU seconds used so far by the server processes of the bench database (Linux, local server; else 0). */
function databaseCpuSeconds(): number {
  if (!existsSync('/proc/self/stat')) return 0;
  let ticks = 0;
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(DATABASE)) continue;
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      ticks += Number(fields[11]) + Number(fields[12]); // utime and stime, in USER_HZ (100 per second)
    } catch {
      // the process ended meanwhile
    }
  }
  return ticks / 100;
}

function postCsv(port: number, apiKey: string, body: Readable): Promise<{ status: number; body: string }> {
  return new Promise((done, fail) => {
    const req = request(
      { host: '127.0.0.1', port, method: 'POST', path: '/api/v1/candidates/import',
        headers: { 'content-type': 'text/csv', authorization: `Bearer ${apiKey}` } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      },
    );
    req.on('error', fail);
    body.pipe(req);
  });
}

async function main(): Promise<void> {
  const database = await freshDatabase(DATABASE, 'bench-import');
  const apiKey = `sp_bench_${randomBytes(16).toString('hex')}`;
  let app: INestApplication | undefined;
  try {
    const config = loadConfig({ ...process.env, DATABASE_URL: database.url, ADMIN_API_KEY: apiKey, LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '0' });
    app = await createApp(config, database.url);
    await app.listen(0, '127.0.0.1');
    const port = (app.getHttpServer().address() as AddressInfo).port;

    const rssBefore = process.memoryUsage().rss;
    let peakRss = rssBefore;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
    let bytes = 0;
    const body = Readable.from(csvFile(ROWS)).on('data', (chunk: string) => (bytes += Buffer.byteLength(chunk)));
    const loadBefore = loadavg()[0];
    const cpuBefore = process.cpuUsage();
    const databaseCpuBefore = databaseCpuSeconds();
    const started = process.hrtime.bigint();
    const response = await postCsv(port, apiKey, body);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const cpu = process.cpuUsage(cpuBefore);
    const databaseCpu = databaseCpuSeconds() - databaseCpuBefore;
    clearInterval(sampler);

    const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;
    const result = JSON.parse(response.body);
    console.log(`HTTP ${response.status}: created ${result.created}, updated ${result.updated}, failed ${result.failed}`);
    console.log(`rows        ${ROWS.toLocaleString('en')} (${mb(bytes)} of CSV)`);
    console.log(`elapsed     ${seconds.toFixed(2)} s`);
    console.log(`throughput  ${Math.round(ROWS / seconds).toLocaleString('en')} rows/s`);
    // The machine may be shared: the load average and this process's CPU time tell a slow run from a slow import.
    console.log(`CPU         ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s in this process (app + generator), ` +
      `${databaseCpu > 0 ? `${databaseCpu.toFixed(1)} s` : 'n/a'} in PostgreSQL; ` +
      `${cpus().length} cores, load average ${loadBefore.toFixed(1)} before the run`);
    console.log(`RSS         ${mb(rssBefore)} before, ${mb(peakRss)} peak during the import, ${mb(process.resourceUsage().maxRSS * 1024)} process peak`);
    // Only judged on a run of the target's size: small runs are dominated by warm-up.
    const perHundredK = (seconds * 100_000) / ROWS;
    const missed = ROWS >= 100_000 && perHundredK >= TARGET_SECONDS;
    if (ROWS >= 100_000) console.log(`target      100k rows < ${TARGET_SECONDS} s: ${missed ? 'MISSED' : 'met'} (${perHundredK.toFixed(2)} s per 100k)`);
    if (response.status !== 200 || result.created + result.updated !== ROWS || missed) process.exitCode = 1;
  } finally {
    await app?.close();
    await database.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
