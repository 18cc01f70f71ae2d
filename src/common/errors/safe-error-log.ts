/**
 * What is safe to log about an unexpected error. Database errors carry the
 * statement's parameters and a `detail` that quotes values (names, emails),
 * so only the error's kind, its SQLSTATE and constraint, and the stack go
 * to the log.
 */
export function safeErrorLog(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { error: typeof error };
  const driver = (error as { driverError?: { code?: string; constraint?: string; table?: string } }).driverError;
  const stack = error.stack?.split('\n').filter((line) => line.trimStart().startsWith('at ')).join('\n');
  return driver
    ? { error: error.name, sqlState: driver.code, constraint: driver.constraint, table: driver.table, stack }
    : { error: error.name, message: error.message.slice(0, 200), stack };
}
