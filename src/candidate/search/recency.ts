import { paramCollector } from '../candidate-filter';
import { SearchFilters } from './search-filters';
import { SqlRunner } from './sql-runner';

/**
 * Newest first, (updated_at, id) descending: the whole order of a search
 * without skills, and the order within a tier of a ranked one.
 */
export interface RecencyPosition {
  updated: string;
  id: string;
}

/** Microsecond-exact, so keyset pages neither skip nor repeat rows. */
export const updatedKeySql = (alias: string) =>
  `to_char(${alias}.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** A search without skills: the filtered candidates, newest first, after the cursor. */
export async function listByRecency(run: SqlRunner, filters: SearchFilters, need: number, after?: RecencyPosition) {
  const { params, param } = paramCollector();
  const where = filters.sql(param);
  if (after) where.push(`(c.updated_at, c.id) < (${param(after.updated)}::timestamptz, ${param(after.id)}::uuid)`);
  const rows = await run<{ id: string; updated: string }>(
    `SELECT c.id, ${updatedKeySql('c')} AS updated FROM candidate c
     ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY c.updated_at DESC, c.id DESC LIMIT ${param(need)}`,
    params,
  );
  return rows.map((row) => ({ ...row, matchedIds: [] as number[] }));
}
