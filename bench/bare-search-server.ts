/**
 * The least any HTTP server adds on this machine: a bare node:http server (no framework, no key check,
 * no validation, no logging) answering `GET /?query=i` with the statements the app sends for MIX[i]
 * (search-statements.ts), the page as JSON. It runs in a child process, as the app does, so each request
 * crosses the same processes: client, server, PostgreSQL, server, client. The one-client phase times it
 * beside the app and the floor.
 */
import { ChildProcess, fork } from 'node:child_process';
import { createServer } from 'node:http';
import { openSearchStatements } from './search-statements';

export interface BareServer {
  port: number;
  stop(): Promise<void>;
}

export async function startBareServer(databaseUrl: string, cursors: Map<number, string>): Promise<BareServer> {
  const child = fork(__filename, [], {
    execArgv: ['-r', 'ts-node/register/transpile-only'],
    env: { ...process.env, BARE_DATABASE_URL: databaseUrl, BARE_CURSORS: JSON.stringify([...cursors]) },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('The bare server did not start within 60 s')), 60_000);
      void exited.then(() => reject(new Error(`The bare server exited during start-up (code ${child.exitCode})`)));
      child.once('message', (message: { port: number }) => {
        clearTimeout(timer);
        resolve(message.port);
      });
    });
    return { port, stop: () => stopChild(child, exited) };
  } catch (error) {
    await stopChild(child, exited);
    throw error;
  }
}

/** Resolves once the child is gone, also when it already was. */
function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) child.kill();
  return exited;
}

async function serve(): Promise<void> {
  const cursors = new Map<number, string>(JSON.parse(process.env.BARE_CURSORS ?? '[]') as [number, string][]);
  const statements = await openSearchStatements(process.env.BARE_DATABASE_URL!, cursors, 'silverpool-bench-bare');
  const server = createServer((req, res) => {
    const index = Number(new URL(req.url ?? '/', 'http://127.0.0.1').searchParams.get('query'));
    statements.fullRequest(index).then(
      ({ views }) => {
        const body = JSON.stringify({ items: views, nextCursor: null });
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
        res.end(body);
      },
      (error: Error) => {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(error.message);
      },
    );
  });
  server.listen(0, '127.0.0.1', () => process.send!({ port: (server.address() as { port: number }).port }));
  // The benchmark is gone (it ended or crashed): so is this server.
  process.once('disconnect', () => process.exit(0));
}

if (require.main === module && process.send) void serve();
