import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { DomainError } from '../errors/domain-error';

export const MAX_PAGE_LIMIT = 100;
export const DEFAULT_PAGE_LIMIT = 20;

/** `?limit=&cursor=` on every list endpoint. */
export class PageQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_LIMIT, default: DEFAULT_PAGE_LIMIT })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(MAX_PAGE_LIMIT)
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

export function encodeCursor(position: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

/**
 * Decodes a cursor made by encodeCursor and checks that each position holds
 * the expected kind of value, so a tampered cursor is a 400, not a SQL error.
 */
export function decodeCursor(cursor: string, shape: readonly ('string' | 'number' | 'timestamp' | 'uuid')[]): (string | number)[] {
  const invalid = () => new DomainError('InvalidCursor', 'The cursor is malformed; start again from the first page.', {
    errors: [{ field: 'cursor', messages: ['cursor is not a value returned by this list'] }],
  });
  let position: unknown;
  try {
    position = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(position) || position.length !== shape.length) throw invalid();
  position.forEach((value, index) => {
    const ok =
      shape[index] === 'number' ? typeof value === 'number' && Number.isFinite(value)
      : shape[index] === 'timestamp' ? typeof value === 'string' && !Number.isNaN(Date.parse(value))
      : shape[index] === 'uuid' ? typeof value === 'string' && /^[0-9a-f-]{36}$/i.test(value)
      : typeof value === 'string';
    if (!ok) throw invalid();
  });
  return position as (string | number)[];
}

/** Fetch limit + 1 rows; the extra one tells whether there is a next page. */
export function toPage<T>(rows: T[], limit: number, positionOf: (last: T) => (string | number)[]): Page<T> {
  const items = rows.slice(0, limit);
  const nextCursor = rows.length > limit ? encodeCursor(positionOf(items[items.length - 1])) : null;
  return { items, nextCursor };
}
