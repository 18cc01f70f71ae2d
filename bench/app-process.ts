/**
 * The app under benchmark, in a child process: by default the compiled app
 * (nest build, then dist/ as `npm run start:prod` runs it), BENCH_APP=ts-node
 * for the sources. Shared by the search and matching benchmarks.
 * BENCH_APP_NODE_ARGS passes flags to the app's node (profiling).
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * The child: boots the real app on 127.0.0.1:0 and answers RSS questions.
 * Plain JavaScript, so it runs on the compiled app (dist/, as in production)
 * or, with ts-node's require hook, on the sources.
 */
const SERVE = `
const root = process.env.BENCH_APP_ROOT;
const { loadConfig } = require(root + '/src/config/app-config');
const { createApp } = require(root + '/src/bootstrap');
(async () => {
  const config = loadConfig();
  const app = await createApp(config, config.DATABASE_URL);
  await app.listen(0, '127.0.0.1');
  process.on('message', (message) => {
    if (message.type === 'rss') process.send({ type: 'rss', rss: process.memoryUsage().rss });
    if (message.type === 'stop') app.close().then(() => process.exit(0));
  });
  process.send({ type: 'ready', port: app.getHttpServer().address().port });
})().catch((error) => { console.error(error); process.exit(1); });
`;

/** BENCH_APP=dist (default): build and run the compiled app; BENCH_APP=ts-node: run the sources. */
function appBuild(): { root: string; execArgv: string[]; label: string } {
  const project = join(__dirname, '..');
  const sources = { root: project, execArgv: ['-r', 'ts-node/register/transpile-only'], label: 'sources via ts-node' };
  if (process.env.BENCH_APP === 'ts-node') return sources;
  const built = spawnSync('npx', ['nest', 'build'], { cwd: project, stdio: ['ignore', 'ignore', 'inherit'] });
  if (built.status !== 0) {
    console.log('nest build failed; benchmarking the sources via ts-node instead (RSS includes the TypeScript compiler).');
    return sources;
  }
  return { root: join(project, 'dist'), execArgv: [], label: 'compiled app (dist/)' };
}

export interface AppProcess {
  port: number;
  rss(): Promise<number>;
  stop(): Promise<void>;
}

/** The app in a child process of its own, so the RSS it reports is the app's alone. `env` adds to or overrides its settings. */
export async function startApp(databaseUrl: string, adminKey: string, env: Record<string, string> = {}): Promise<AppProcess> {
  const build = appBuild();
  console.log(`App: ${build.label}`);
  // BENCH_APP_NODE_ARGS: flags for the app's node alone, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile it.
  const nodeArgs = (process.env.BENCH_APP_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, ...build.execArgv, '-e', SERVE], {
    cwd: join(__dirname, '..'),
    env: {
      ...process.env,
      BENCH_APP_ROOT: build.root,
      DATABASE_URL: databaseUrl,
      ADMIN_API_KEY: adminKey,
      RATE_LIMIT_PER_MINUTE: '0',
      LOG_LEVEL: process.env.BENCH_APP_LOG_LEVEL ?? 'info',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('The app did not start within 120 s')), 120_000);
    child.once('exit', (code) => reject(new Error(`The app exited during start-up (code ${code})`)));
    child.on('message', (message: { type: string; port?: number }) => {
      if (message.type === 'ready') {
        clearTimeout(timer);
        resolve(message.port!);
      }
    });
  });
  return {
    port,
    rss: () =>
      new Promise((resolve) => {
        const onMessage = (message: { type: string; rss?: number }) => {
          if (message.type !== 'rss') return;
          child.off('message', onMessage);
          resolve(message.rss!);
        };
        child.on('message', onMessage);
        child.send({ type: 'rss' });
      }),
    stop: () =>
      new Promise((resolve) => {
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.send({ type: 'stop' });
      }),
  };
}
