import type { Pool, PoolClient } from 'pg';
import { DataSource, DataSourceOptions } from 'typeorm';
import { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

/**
 * Allocates and frees 16 MB in the server process behind a connection.
 *
 * Why: glibc's malloc in a PostgreSQL backend adapts its mmap and trim
 * thresholds to the first large blocks it frees. Depending on the small
 * statements a connection happened to start with, a backend could be left
 * with thresholds low enough that every ranking statement grew and trimmed
 * the heap again: measured with perf on PostgreSQL 15, 160k page faults in
 * 15 s against 7k, and the same statement and plan 60 % slower (150 ms
 * against 90 ms). One large block freed early raises the thresholds for the
 * life of the backend. It costs one statement (~0.2 s on this VM) per new
 * connection, and nothing on a server that does not behave this way.
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
    const size = (pool.options as { max?: number }).max ?? 10;
    const connections = await Promise.all(Array.from({ length: size }, () => pool.connect()));
    try {
      await Promise.all(connections.map((connection) => connection.query(RAISE_MALLOC_THRESHOLDS)));
    } finally {
      for (const connection of connections) connection.release();
    }
    // Connections opened later (after an error closed one) are prepared before their first statement.
    pool.on('connect', (client: PoolClient) => void client.query(RAISE_MALLOC_THRESHOLDS).catch(() => undefined));
  }
  return dataSource;
}
