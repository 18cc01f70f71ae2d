import { DataSource } from 'typeorm';

/**
 * Runs `first` until it reaches `method` of `target` (when `stopsAt` says so for its arguments), holds it
 * there, starts `rival`, waits until the rival has finished or waits for a lock (so it has met whatever
 * `first` holds), then lets `first` go on. Returns both results. For races two requests or jobs can
 * run into on several instances, made to happen every time.
 */
export async function interleave<T extends object, K extends keyof T & string, A, B>(options: {
  target: T;
  method: K;
  stopsAt?: (args: unknown[]) => boolean;
  first: () => Promise<A>;
  rival: () => Promise<B>;
  db: DataSource;
}): Promise<[A, B]> {
  const { target, method, db } = options;
  const original = (target[method] as (...args: unknown[]) => unknown).bind(target);
  let reached!: () => void;
  let release!: () => void;
  const arrived = new Promise<void>((resolve) => (reached = resolve));
  const gate = new Promise<void>((resolve) => (release = resolve));
  const spy = jest.spyOn(target, method as never).mockImplementation((async (...args: unknown[]) => {
    if (options.stopsAt?.(args) ?? true) {
      reached();
      await gate;
    }
    return original(...args);
  }) as never);
  try {
    const first = options.first();
    first.catch(() => release()); // failing before the stop must not leave the rival waiting
    await Promise.race([arrived, first]);
    let settled = false;
    // Through a promise of its own: a rival that throws, or returns a bare thenable (a supertest request), must
    // not leave `first` held at the gate.
    const rival = Promise.resolve().then(options.rival).finally(() => (settled = true));
    for (let i = 0; i < 250 && !settled; i++) {
      const [{ waiting }] = await db.query(`SELECT count(*)::int AS waiting FROM pg_locks WHERE NOT granted`);
      if (waiting > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    release();
    return [await first, await rival];
  } finally {
    spy.mockRestore();
  }
}
