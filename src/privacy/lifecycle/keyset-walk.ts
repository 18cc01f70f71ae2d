/** Rows one lifecycle statement reads: the batch, and each batch its own transaction. */
const LIFECYCLE_BATCH = 500;

/**
 * An order over `candidate c` that an index serves exactly: `key` then
 * `c.id`, over the rows `where` admits (the index's predicate). The daily
 * job walks it window by window, each window starting after the last row
 * of the one before, so every statement reads its own rows only. Selecting
 * "the next rows not yet handled" instead re-read everything the earlier
 * batches had handled (or kept), and a run grew with the square of its work.
 */
export interface Walk {
  key: string;
  where: string;
}

/** When pool consent ended or ends (LEAST ignores NULL): renewals, expiry, erasure after the grace period. */
export const BY_CONSENT_END: Walk = {
  key: 'LEAST(c.consent_withdrawn_at, c.consent_expires_at)',
  where: 'c.consent_expires_at IS NOT NULL',
};

/** "Remove me" from people who never gave pool consent. */
export const BY_WITHDRAWAL_WITHOUT_CONSENT: Walk = {
  key: 'c.consent_withdrawn_at',
  where: 'c.consent_expires_at IS NULL AND c.consent_withdrawn_at IS NOT NULL',
};

/** Applicants who never joined the pool, oldest first: retention. */
export const BY_AGE_WITHOUT_CONSENT: Walk = {
  key: 'c.created_at',
  where: 'c.consent_expires_at IS NULL',
};

/**
 * Where a walk stands: after the row (key, id). The key is kept as
 * PostgreSQL prints it: a JavaScript Date drops the microseconds, and a
 * position rounded down would read its last row again, for ever.
 */
export interface Position {
  key: string;
  id: string;
}

export const FROM_THE_START: Position = { key: '-infinity', id: '00000000-0000-0000-0000-000000000000' };

/** Rows whose key is later than `instant` (not equal to it). */
export function after(instant: Date): Position {
  return { key: instant.toISOString(), id: 'ffffffff-ffff-ffff-ffff-ffffffffffff' };
}

/**
 * What the lifecycle steps decide on. Not `c.*`: a materialised window of 500 whole rows carried the
 * search arrays too (skill_pairs alone up to 4,950 numbers a person), read and copied for nothing.
 */
const WALKED_COLUMNS = ['id', 'created_at', 'status', 'unsubscribed_at', 'time_zone', 'consent_expires_at', 'consent_withdrawn_at']
  .map((column) => `c.${column}`).join(', ');

/**
 * A MATERIALIZED CTE `walked`: the next LIFECYCLE_BATCH rows of the walk
 * after the position ($1 key, $2 id), as WALKED_COLUMNS plus
 * `walk_key` and `in_range` (the key is at most `upTo`, SQL). Select from
 * it as `walked c`, decide only for rows in range, and order by
 * `orderOf(walk)`.
 * Why it looks like this: the statement must read its window and nothing
 * else, and PostgreSQL must not be left a cheaper-looking plan that reads
 * more. With the range's end in the WHERE clause it estimated a few hundred
 * rows and chose a bitmap scan of the whole rest of the range plus a sort;
 * without it, reading on in index order is the only plan that does not
 * sort the rest of the index, so that is the one it takes (the last window
 * reads up to a batch past the range). Materialised, so what the caller
 * decides per row is asked of these rows only. The row comparison is the
 * index bound with (key, id) indexed; `key >= $1` keeps the walk bounded
 * by the key alone should the id ever leave the index.
 */
export function nextWindow(walk: Walk, upTo: string): string {
  return `walked AS MATERIALIZED (
    SELECT ${WALKED_COLUMNS}, (${walk.key})::text AS walk_key, ${walk.key} <= ${upTo} AS in_range
    FROM candidate c
    WHERE ${walk.where} AND (${walk.key}, c.id) > ($1::timestamptz, $2::uuid) AND ${walk.key} >= $1::timestamptz
    ORDER BY ${orderOf(walk)}
    LIMIT ${LIFECYCLE_BATCH})`;
}

export function orderOf(walk: Walk): string {
  return `${walk.key}, c.id`;
}

export interface WalkedRow {
  id: string;
  walk_key: string;
  in_range: boolean;
}

/** Where the next window starts, or undefined when this one was the last (short, or it reached past the range). Rows in walk order. */
export function positionAfter(rows: WalkedRow[]): Position | undefined {
  const last = rows[rows.length - 1];
  if (rows.length < LIFECYCLE_BATCH || !last.in_range) return undefined;
  return { key: last.walk_key, id: last.id };
}

/** Work the daily job does after every batch (it renews its claim on the day there). */
export type AfterBatch = () => Promise<void>;

/** Runs `window` from `start` until one reports the end, with `afterBatch` after each. */
export async function walkInWindows(
  start: Position,
  window: (from: Position) => Promise<Position | undefined>,
  afterBatch: AfterBatch = async () => undefined,
): Promise<void> {
  for (let from: Position | undefined = start; from; ) {
    from = await window(from);
    await afterBatch();
  }
}
