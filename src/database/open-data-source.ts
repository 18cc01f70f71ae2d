import type { Pool, PoolClient } from 'pg';
import { DataSource, DataSourceOptions } from 'typeorm';
import { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

/**
 * Allocates and frees 16 MB in the server process behind a connection.
 *
 * Why: depending on the small statements a connection happened to start
 * with, its PostgreSQL backend could run every large statement after that
 * with a storm of page faults: measured with perf on PostgreSQL 15, 160k
 * page faults in 15 s against 7k, and the same ranking statement and plan
 * 60 % slower (150 ms against 90 ms). That fits glibc's malloc adapting its
 * mmap and trim thresholds to the first large blocks it frees, so that the
 * heap is grown and trimmed again on every statement; one large block freed
 * early puts an end to it for the life of the backend (4 MB was not enough).
 * It costs one statement per connection (~0.2 s on this VM, at start).
 */
export const RAISE_MALLOC_THRESHOLDS = `SELECT length(repeat(repeat('x', 1024), 16 * 1024))`;

/**
 * The app's DataSource: TypeORM's, with its pool opened in full and every
 * connection prepared as above before the first request, so no request
 * waits for a connection to be opened and prepared.
 */
export async function openDataSource(options: DataSourceOptions, preparePool = true): Promise<DataSource> {
  const dataSource = await new DataSource(options).initialize();
  if (preparePool && dataSource.driver instanceof PostgresDriver) {
    const pool = dataSource.driver.master as Pool;
    try {
      await prepareEveryConnection(pool, (pool.options as { max?: number }).max ?? 10);
    } catch (error) {
      // Close what was opened: Nest retries with a new DataSource, and this one's connections would count against it.
      await dataSource.destroy();
      throw error;
    }
    // Connections opened later (after an error closed one) are prepared before their first statement.
    pool.on('connect', (client: PoolClient) => void client.query(RAISE_MALLOC_THRESHOLDS).catch(() => undefined));
  }
  return dataSource;
}

/** Holds all `size` connections (so each is a new one), prepares them two at a time (16 MB each), then lets go. */
async function prepareEveryConnection(pool: Pool, size: number): Promise<void> {
  const held = await Promise.allSettled(Array.from({ length: size }, () => pool.connect()));
  const connections = held.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  try {
    const refused = held.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (refused) {
      throw new Error(
        `Could not open DATABASE_POOL_SIZE=${size} database connections (${(refused.reason as Error).message}). ` +
          'Lower DATABASE_POOL_SIZE, raise the server\'s max_connections, or set DATABASE_PREPARE_POOL=false.',
      );
    }
    const waiting = [...connections];
    const prepare = async () => {
      for (let next = waiting.shift(); next; next = waiting.shift()) await next.query(RAISE_MALLOC_THRESHOLDS);
    };
    await Promise.all([prepare(), prepare()]);
  } finally {
    for (const connection of connections) connection.release();
  }
}
