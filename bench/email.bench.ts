/**
 * Nurture email benchmark: N candidates with consent, one active one-step
 * campaign, and the whole path — enrolment, render + enqueue into the
 * outbox, delivery over SMTP — into an SMTP sink in this process, with the
 * campaign round and delivery rounds running side by side as the two
 * schedulers do. Then the floor: a bare nodemailer pooled loop sending N
 * messages of the same size to the same sink, over as many connections.
 *
 *   npm run bench:email                 # 100,000 candidates
 *   npm run bench:email -- 20000        # or BENCH_EMAIL_N=20000
 *
 * Runs on a fresh database on DATABASE_URL's server when set, else on an
 * embedded PostgreSQL with its data in ./data/bench-email.
 * Target: >= 500 emails/s end to end, within 1.5x of the bare loop.
 */
import { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { AddressInfo, connect, Socket } from 'node:net';
import { createTransport } from 'nodemailer';
import { parseConnectionUrl } from 'nodemailer/lib/shared';
import { Client } from 'pg';
import { SMTPServer } from 'smtp-server';
import { DataSource } from 'typeorm';
import { createApp } from '../src/bootstrap';
import { CampaignRunner } from '../src/campaign/campaign-runner.service';
import { CampaignService } from '../src/campaign/campaign.service';
import { loadConfig } from '../src/config/app-config';
import { runMigrations } from '../src/database/migrate';
import { DeliveryService } from '../src/email/delivery/delivery.service';
import { SMTP_CONNECTIONS } from '../src/email/delivery/smtp-sender';
import { freshDatabase } from './fresh-database';

const N = Number(process.argv[2] ?? process.env.BENCH_EMAIL_N ?? 100_000);
const DATABASE = 'silverpool_email_bench';
const TARGET_RATE = 500;
const TARGET_RATIO = 1.5;
/** Messages in flight in the bare loop: enough to keep every pooled connection busy. */
const BARE_IN_FLIGHT = SMTP_CONNECTIONS * 4;

const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;
const seconds = (from: bigint) => Number(process.hrtime.bigint() - from) / 1e9;
const rate = (count: number, elapsed: number) => Math.round(count / elapsed);

/** Counts messages and throws their bytes away, so the sink costs the same for both runs. */
class CountingSink {
  received = 0;
  private readonly server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData: (stream, _session, callback) => {
      stream.on('end', () => {
        this.received++;
        callback();
      });
      stream.resume();
    },
  });

  async start(): Promise<string> {
    await new Promise<void>((done) => this.server.listen(0, '127.0.0.1', done));
    return `smtp://127.0.0.1:${(this.server.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    return new Promise((done) => this.server.close(() => done()));
  }
}

/** Peak and per-phase resident memory, sampled every 100 ms. */
class MemoryWatch {
  peak = process.memoryUsage().rss;
  private readonly timer = setInterval(() => (this.peak = Math.max(this.peak, process.memoryUsage().rss)), 100);
  stop(): void {
    clearInterval(this.timer);
  }
}

/** N active candidates with a year of talent-pool consent (evidence row and the mirrored dates), in two statements. */
async function seedCandidates(url: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(
      `INSERT INTO candidate (full_name, email, time_zone, locale, tags, status, consent_expires_at, created_at, updated_at)
       SELECT 'Bench Person ' || i, 'bench' || i || '@example.com', 'Europe/Stockholm',
              CASE WHEN i % 4 = 0 THEN 'sv' ELSE 'en' END, ARRAY['bench'], 'active', now() + interval '1 year', now(), now()
       FROM generate_series(1, $1::int) AS i`,
      [N],
    );
    await client.query(
      `INSERT INTO consent (candidate_id, scope, text_version, source, granted_at, expires_at)
       SELECT id, 'talent_pool', 'bench', 'application_form', now(), consent_expires_at FROM candidate`,
    );
    await client.query(`ANALYZE`);
  } finally {
    await client.end();
  }
}

interface EndToEnd {
  enqueuedS: number;
  totalS: number;
  /** RSS when each further quarter of the emails had reached the sink. */
  rssByQuarter: number[];
}

/**
 * As one instance runs it: the campaign round (enrol, render, enqueue,
 * committed batch by batch) and delivery rounds at the same time, so
 * sending starts with the first committed batch. Done when the sink has
 * every message.
 */
async function endToEnd(app: INestApplication, sink: CountingSink): Promise<EndToEnd> {
  const campaigns = app.get(CampaignService);
  const campaign = await campaigns.create({
    name: 'Benchmark check-in',
    audience: { tags: ['bench'] },
    steps: [{ templateKey: 'nurture_checkin', delay: 'PT0S' }],
  });
  await campaigns.setStatus(campaign.id, 'active');
  const delivery = app.get(DeliveryService);
  const started = process.hrtime.bigint();
  let enqueuedS = 0;
  const round = app.get(CampaignRunner).runDue().then((report) => {
    enqueuedS = seconds(started);
    console.log(`round                 enrolled ${report.enrolled.toLocaleString('en')}, queued ${report.queued.toLocaleString('en')}, suppressed ${report.suppressed}`);
  });
  const rssByQuarter: number[] = [];
  while (sink.received < N) {
    const report = await delivery.deliverDue();
    if (report.failed > 0 || report.suppressed > 0) throw new Error(`Delivery failed: ${JSON.stringify(report)}`);
    while (rssByQuarter.length < 4 && sink.received >= (N * (rssByQuarter.length + 1)) / 4) rssByQuarter.push(process.memoryUsage().rss);
    // Nothing due yet, or this second's rate budget is spent: let the round and the sink run.
    if (report.sent === 0) await new Promise((done) => setTimeout(done, 5));
  }
  await round;
  return { enqueuedS, totalS: seconds(started), rssByQuarter };
}

/**
 * The floor: the same messages over the same number of pooled connections,
 * nothing but nodemailer, set up as fast as it goes: options spelled out
 * (next to a `url`, nodemailer ignores all other options, pooling
 * included) and TCP_NODELAY (without it, each message's last packet waits
 * for the sink's delayed ACK, about 40 ms).
 */
async function bareLoop(smtpUrl: string, sample: { subject: string; html: string; text: string }): Promise<number> {
  const transport = createTransport({
    ...parseConnectionUrl(smtpUrl),
    pool: true,
    maxConnections: SMTP_CONNECTIONS,
    maxMessages: Infinity,
    getSocket: (options: { host: string; port: number }, callback: (error: Error | null, socket?: { connection: Socket }) => void) => {
      const socket = connect({ host: options.host, port: options.port, noDelay: true });
      socket.once('connect', () => {
        socket.removeAllListeners('error');
        callback(null, { connection: socket });
      });
      socket.once('error', callback);
    },
  } as Parameters<typeof createTransport>[0]);
  const started = process.hrtime.bigint();
  let next = 0;
  const worker = async () => {
    while (next < N) {
      const i = next++;
      await transport.sendMail({ from: 'Silverpool <no-reply@localhost>', to: `bare${i}@example.com`, ...sample });
    }
  };
  await Promise.all(Array.from({ length: BARE_IN_FLIGHT }, worker));
  const elapsed = seconds(started);
  transport.close();
  return elapsed;
}

async function main(): Promise<void> {
  const database = await freshDatabase(DATABASE, 'bench-email');
  const sink = new CountingSink();
  let app: INestApplication | undefined;
  try {
    const smtpUrl = await sink.start();
    await runMigrations(database.url);
    const seedStarted = process.hrtime.bigint();
    await seedCandidates(database.url);
    console.log(`seed                  ${N.toLocaleString('en')} candidates with consent in ${seconds(seedStarted).toFixed(1)} s`);
    const config = loadConfig({
      DATABASE_URL: database.url, SMTP_URL: smtpUrl, EMAIL_RATE_PER_SECOND: '5000', SEND_WINDOW: 'always',
      SCHEDULER_ENABLED: 'false', LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '0',
      ADMIN_API_KEY: `sp_bench_${randomBytes(16).toString('hex')}`,
    });
    app = await createApp(config, database.url);

    const memory = new MemoryWatch();
    const rssBefore = process.memoryUsage().rss;
    const run = await endToEnd(app, sink);
    memory.stop();
    const endToEndRate = rate(N, run.totalS);
    console.log(`enrol+render+enqueue  done after ${run.enqueuedS.toFixed(1)} s (${rate(N, run.enqueuedS).toLocaleString('en')} emails/s), delivering meanwhile`);
    console.log(`end to end            ${run.totalS.toFixed(1)} s: ${endToEndRate.toLocaleString('en')} emails/s`);
    console.log(`RSS                   ${mb(rssBefore)} before, ${mb(memory.peak)} peak; at each quarter sent: ${run.rssByQuarter.map(mb).join(', ')}`);

    const [sample] = await app.get(DataSource).query(
      `SELECT subject, html_body AS html, text_body AS text FROM email ORDER BY created_at LIMIT 1`,
    );
    const delivered = sink.received;
    const bareS = await bareLoop(smtpUrl, sample);
    if (sink.received - delivered !== N) throw new Error(`The bare loop delivered ${sink.received - delivered} of ${N}`);
    const bareRate = rate(N, bareS);
    const ratio = bareRate / endToEndRate;
    console.log(`bare nodemailer loop  ${bareS.toFixed(1)} s: ${bareRate.toLocaleString('en')} emails/s (${SMTP_CONNECTIONS} pooled connections)`);
    console.log(`ratio                 bare / end to end = ${ratio.toFixed(2)}x`);
    const met = endToEndRate >= TARGET_RATE && ratio <= TARGET_RATIO;
    console.log(`target                >= ${TARGET_RATE} emails/s and <= ${TARGET_RATIO}x: ${met ? 'met' : 'MISSED'}`);
    if (!met) process.exitCode = 1;
  } finally {
    await app?.close();
    await sink.stop();
    await database.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
