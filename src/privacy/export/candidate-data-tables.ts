import { EntityManager } from 'typeorm';

export interface ForeignKey {
  table: string;
  columns: string[];
  refTable: string;
  refColumns: string[];
}

export interface CandidateDataTable {
  table: string;
  /** The foreign keys from this table up to candidate: path[0] leaves the table, the last one reaches candidate. */
  path: ForeignKey[];
}

/** Every foreign key between tables of the application's schema, from the catalog. */
export async function loadForeignKeys(manager: EntityManager): Promise<ForeignKey[]> {
  const rows: { table: string; columns: string[]; ref_table: string; ref_columns: string[] }[] = await manager.query(
    `SELECT cl.relname::text AS table, rf.relname::text AS ref_table,
            ARRAY(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY AS k(attnum, n)
                  JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum ORDER BY k.n) AS columns,
            ARRAY(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY AS k(attnum, n)
                  JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum ORDER BY k.n) AS ref_columns
     FROM pg_constraint c
     JOIN pg_class cl ON cl.oid = c.conrelid
     JOIN pg_class rf ON rf.oid = c.confrelid
     WHERE c.contype = 'f' AND cl.relnamespace = current_schema()::regnamespace AND rf.relnamespace = cl.relnamespace`,
  );
  return rows.map((row) => ({ table: row.table, columns: row.columns, refTable: row.ref_table, refColumns: row.ref_columns }));
}

/**
 * The tables that hold data about a candidate, derived from the schema: a
 * table does when it references candidate, or references a table that
 * does (feedback -> candidacy -> candidate). Breadth-first, so each table
 * is reached by its shortest path; candidate itself is not listed.
 */
export function candidateDataTables(keys: readonly ForeignKey[]): CandidateDataTable[] {
  const found = new Map<string, ForeignKey[]>([['candidate', []]]);
  let frontier = ['candidate'];
  while (frontier.length > 0) {
    const next: string[] = [];
    for (const parent of frontier) {
      const children = keys
        .filter((key) => key.refTable === parent && !found.has(key.table))
        .sort((a, b) => a.table.localeCompare(b.table) || a.columns.join().localeCompare(b.columns.join()));
      for (const key of children) {
        if (found.has(key.table)) continue;
        found.set(key.table, [key, ...found.get(parent)!]);
        next.push(key.table);
      }
    }
    frontier = next;
  }
  return [...found].filter(([table]) => table !== 'candidate').map(([table, path]) => ({ table, path }));
}

export const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;
const tuple = (columns: string[]) => `(${columns.map(quoteIdent).join(', ')})`;

/** SELECT of the table's rows that belong to the candidate whose id is bound as $1, following the path. */
export function rowsOfCandidateSql(entry: CandidateDataTable): string {
  return `SELECT * FROM ${quoteIdent(entry.table)} WHERE ${pathCondition(entry.path)}`;
}

function pathCondition(path: ForeignKey[]): string {
  const [key, ...rest] = path;
  if (rest.length === 0) {
    return key.refColumns.length === 1 && key.refColumns[0] === 'id'
      ? `${quoteIdent(key.columns[0])} = $1`
      : `${tuple(key.columns)} IN (SELECT ${key.refColumns.map(quoteIdent).join(', ')} FROM candidate WHERE id = $1)`;
  }
  return `${tuple(key.columns)} IN (SELECT ${key.refColumns.map(quoteIdent).join(', ')} FROM ${quoteIdent(key.refTable)} WHERE ${pathCondition(rest)})`;
}
