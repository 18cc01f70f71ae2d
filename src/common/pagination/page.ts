import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { DomainError } from '../errors/domain-error';
import { queryNumber } from '../validation/transforms';

export const MAX_PAGE_LIMIT = 100;
export const DEFAULT_PAGE_LIMIT = 20;

/** `?limit=&cursor=` on every list endpoint. */
export class PageQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_LIMIT, default: DEFAULT_PAGE_LIMIT })
  @IsOptional() @Transform(queryNumber) @IsInt() @Min(1) @Max(MAX_PAGE_LIMIT)
  limit?: number;

  @ApiPropertyOptional({ description: 'Opaque cursor from the previous page\'s nextCursor' })
  @IsOptional() @IsString() @MaxLength(500)
  cursor?: string;
}

/** The one list shape: keyset pagination. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Kinds of value a cursor position holds; each is checked as strictly as the SQL it feeds will read it. */
export type CursorValue = 'string' | 'int' | 'bigint' | 'timestamp' | 'uuid';

/**
 * A list's cursors: the list's name, written into each cursor it hands out so that another list's (most
 * hold a time and an id too) is refused, and the kinds of value of its position.
 */
export interface CursorFormat {
  list: string;
  shape: readonly CursorValue[];
}

export const cursorFormat = (list: string, ...shape: CursorValue[]): CursorFormat => ({ list, shape });

export function encodeCursor(format: CursorFormat, position: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify([format.list, ...position])).toString('base64url');
}

const INT4_MAX = 2_147_483_647;
/** What encodeCursor writes for a timestamp: toISOString() or to_char(... 'US'), always UTC. */
const CURSOR_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const CURSOR_CHECKS: Record<CursorValue, (value: unknown) => boolean> = {
  string: (value) => typeof value === 'string' && !value.includes('\u0000'),
  int: (value) => Number.isInteger(value) && Math.abs(value as number) <= INT4_MAX,
  bigint: (value) => Number.isSafeInteger(value),
  timestamp: (value) => typeof value === 'string' && CURSOR_TIMESTAMP.test(value) && isCalendarTime(value),
  uuid: (value) => typeof value === 'string' && UUID_PATTERN.test(value),
};

/**
 * A time PostgreSQL reads as written: Date.parse rolls 30 February over to 2 March, and PostgreSQL refuses
 * both that and year 0, so the date must come back from Date unchanged, in year 1 or later.
 */
function isCalendarTime(value: string): boolean {
  const parsed = new Date(value);
  return !Number.isNaN(parsed.getTime()) && parsed.getUTCFullYear() >= 1 && parsed.toISOString().slice(0, 19) === value.slice(0, 19);
}

/** A cursor this list did not hand out (tampered, or from another list); also for checks a list adds of its own. */
export function invalidCursor(): DomainError {
  return new DomainError('InvalidCursor', 'The cursor is not one this list handed out (or it is from an older version); start again from the first page.', {
    errors: [{ field: 'cursor', messages: ['cursor is not a value returned by this list'] }],
  });
}

/**
 * Decodes a cursor made by encodeCursor for this list and checks that each
 * position holds the expected kind of value, so a tampered cursor, or one
 * from another list, is a 400, not a SQL error or a page of another order.
 * (The name is the list's, not its scope's: one vacancy's match cursor read
 * for another vacancy starts at that position in the other's list.)
 */
export function decodeCursor(cursor: string, format: CursorFormat): (string | number)[] {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  if (!Array.isArray(decoded) || decoded[0] !== format.list) throw invalidCursor();
  const position = decoded.slice(1);
  if (position.length !== format.shape.length) throw invalidCursor();
  if (!position.every((value, index) => CURSOR_CHECKS[format.shape[index]](value))) throw invalidCursor();
  return position as (string | number)[];
}

/** Fetch limit + 1 rows; the extra one tells whether there is a next page. */
export function toPage<T>(rows: T[], limit: number, format: CursorFormat, positionOf: (last: T) => (string | number)[]): Page<T> {
  const items = rows.slice(0, limit);
  const nextCursor = rows.length > limit ? encodeCursor(format, positionOf(items[items.length - 1])) : null;
  return { items, nextCursor };
}
