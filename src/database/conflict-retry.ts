import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource, EntityManager } from 'typeorm';
import { isRetryableConflict } from '../common/errors/postgres-errors';

/** Attempts in all. */
const ATTEMPTS = 4;

/**
 * Runs `work` in a transaction, and again when PostgreSQL aborted it because
 * of a concurrent one (a deadlock it broke, a serialization failure): nothing
 * of it was written, so running it again is safe when all its effects are in
 * the transaction. For long work that a clash it cannot foresee should not
 * cut short, such as a batch of a bulk import meeting an erasure that locks
 * the same people in another order. Requests that are one transaction answer
 * such a clash with a 503 instead, and the client sends them again.
 */
export async function transactionRetryingConflicts<T>(
  dataSource: DataSource,
  work: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await dataSource.transaction(work);
    } catch (error) {
      if (attempt >= ATTEMPTS || !isRetryableConflict(error)) throw error;
      // Jittered, so two clashing writers do not meet again in step.
      await sleep(attempt * (25 + Math.random() * 75));
    }
  }
}
