/**
 * Exponential backoff with full jitter: attempt 1 waits up to 30 s,
 * doubling each time, capped at 6 hours. Jitter spreads retries of a
 * failed batch so they do not hit the server together again.
 */
export function retryDelayMs(attempt: number, random: () => number = Math.random): number {
  const base = 30_000 * 2 ** Math.max(0, attempt - 1);
  const capped = Math.min(base, 6 * 60 * 60 * 1000);
  return Math.round(capped / 2 + random() * (capped / 2));
}
