import type { PoolClient } from 'pg';
import { EntityManager, QueryFailedError } from 'typeorm';

/**
 * A constant statement that runs on most requests. As a named prepared
 * statement PostgreSQL parses it once per connection and, after a few runs,
 * keeps its plan. Round trips measured on the 1M bench data, unnamed against
 * named: a page of 20 candidate views 1.96 against 0.98 ms (its subqueries
 * take longer to plan than to run), the skill-name lookup 0.53 against 0.43,
 * the API key check 0.36 against 0.24.
 *
 * Named statements live on a server connection, so a pooler in front of
 * PostgreSQL must keep a client on one server connection (pgbouncer: session
 * mode, or transaction mode with max_prepared_statements, 1.21+).
 */
export interface PreparedStatement {
  name: string;
  text: string;
}

/** Runs `statement` on the manager's connection (its transaction, if any), else on one from the pool. */
export async function runPrepared<T>(manager: EntityManager, statement: PreparedStatement, values: unknown[]): Promise<T[]> {
  const own = manager.queryRunner ? undefined : manager.connection.createQueryRunner();
  const runner = manager.queryRunner ?? own!;
  try {
    const client = (await runner.connect()) as PoolClient;
    try {
      return (await client.query<T & object>({ name: statement.name, text: statement.text, values })).rows;
    } catch (error) {
      // As TypeORM reports a failed statement, so deadlock, unique-violation and error mapping see one kind of error.
      throw new QueryFailedError(statement.text, values, error as Error);
    }
  } finally {
    await own?.release();
  }
}
