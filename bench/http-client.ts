/**
 * The benchmarks' HTTP client: keep-alive, 127.0.0.1 only. A request's time
 * runs from sending it to the last byte of the response, as load tools
 * (wrk, autocannon) count it; parsing the JSON is the client's own work and
 * happens after the clock stops (a 180 kB match list takes ~1 ms to parse).
 */
import { Agent, request } from 'node:http';

export const agent = new Agent({ keepAlive: true, maxSockets: 16 });

export interface TimedResponse<T> {
  status: number;
  body: T;
  /** Milliseconds from sending the request to the response's last byte. */
  ms: number;
}

export function httpJson<T = unknown>(
  port: number, method: string, path: string, headers: Record<string, string>, body?: unknown,
): Promise<TimedResponse<T>> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const started = process.hrtime.bigint();
    const req = request(
      {
        host: '127.0.0.1', port, method, path, agent,
        headers: { ...headers, ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const ms = Number(process.hrtime.bigint() - started) / 1e6;
          const text = Buffer.concat(chunks).toString('utf8');
          try {
            resolve({ status: res.statusCode ?? 0, body: (text ? JSON.parse(text) : undefined) as T, ms });
          } catch (error) {
            reject(error);
          }
        });
      },
    );
    req.setTimeout(60_000, () => req.destroy(new Error(`Timed out: ${path}`)));
    req.on('error', reject);
    req.end(payload);
  });
}
