import { QueryFailedError } from 'typeorm';

/** pg-pool's answer when no connection came free within its connectionTimeoutMillis. */
export function isPoolExhausted(error: unknown): boolean {
  return error instanceof Error && error.message === 'timeout exceeded when trying to connect';
}

/**
 * True when PostgreSQL aborted the transaction because of a concurrent one (a deadlock it broke, a
 * serialization failure): nothing was written, and the same request again normally succeeds.
 */
export function isRetryableConflict(error: unknown): boolean {
  const code = error instanceof QueryFailedError ? (error.driverError as { code?: string }).code : undefined;
  return code === '40P01' || code === '40001';
}

/** True when a statement broke the named unique constraint or index. */
export function isUniqueViolation(error: unknown, constraint: string): boolean {
  const driverError = error instanceof QueryFailedError ? (error.driverError as { code?: string; constraint?: string }) : undefined;
  return driverError?.code === '23505' && driverError.constraint === constraint;
}
