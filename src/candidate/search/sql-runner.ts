/** Runs one statement; the service passes TypeORM's, the benchmark a bare pg client's. */
export type SqlRunner = <T = Record<string, unknown>>(sql: string, params: unknown[]) => Promise<T[]>;
