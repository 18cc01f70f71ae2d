import { addressKey } from '../../email/suppression.service';
import { addressesHeldByOthers, Query } from './addresses-held-by-others';

/** What identifies a person in free text (an empty value: nothing to look for). */
export interface IdentifyingValues {
  fullName: string;
  email: string;
  phone: string | null;
}

/**
 * By what staff texts can name these people: their name, email and phone now, and those they had
 * before a correction (candidate_former_identity). A former address someone outside them holds now
 * (a mistyped one that was fixed, say) is left out (''): it names that other person now. Erasure
 * suppresses the addresses given here, so it redacts and suppresses the same ones.
 */
export async function identifyingValuesOf(query: Query, candidateIds: string[]): Promise<IdentifyingValues[]> {
  const rows = await query<IdentifyingValues & { former: boolean }>(
    `SELECT full_name AS "fullName", email, phone, false AS former FROM candidate WHERE id = ANY($1::uuid[])
     UNION ALL
     SELECT full_name, email, phone, true FROM candidate_former_identity WHERE candidate_id = ANY($1::uuid[])`,
    [candidateIds],
  );
  const heldByOthers = await addressesHeldByOthers(query, rows.filter((row) => row.former).map((row) => row.email), candidateIds);
  return rows.map(({ fullName, email, phone, former }) => ({
    fullName, email: former && heldByOthers.has(addressKey(email)) ? '' : email, phone,
  }));
}

/** Handlebars escapes these in HTML bodies, so a name like O'Brien is stored as O&#x27;Brien there. */
const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#x27;', '`': '&#x60;', '=': '&#x3D;',
};
/** Shorter numbers would match unrelated digits. */
const MIN_PHONE_LENGTH = 6;

const htmlEscape = (value: string) => value.replace(/[&<>"'`=]/g, (char) => HTML_ESCAPES[char]);
/** PostgreSQL ARE: a backslash before a non-alphanumeric character makes it literal. */
const literal = (value: string) => value.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
/**
 * Whole words only (\m, \M: start and end of a word), so erasing "Al" does not turn someone else's
 * "Alice" into "[erased]ice". Only at an ASCII letter or digit: whether "Å" is a word character
 * depends on the database's locale (not under C), and a boundary that never matches would leave
 * the name in place.
 */
const ASCII_WORD = /[A-Za-z0-9]/;
const word = (value: string) =>
  `${ASCII_WORD.test(value[0]) ? '\\m' : ''}${literal(value)}${ASCII_WORD.test(value[value.length - 1]) ? '\\M' : ''}`;
/**
 * A whole address: not the tail of a longer local part (a.x@example.com holds x@example.com) nor
 * the start of a longer domain (x@example.com.au). Word boundaries are no good here, since "." and
 * "+" end a word, and erasing x@example.com turned another person's x@example.com.au into
 * "[erased].au".
 */
const address = (value: string) => `(?<![A-Za-z0-9._%+-])${literal(value)}(?![A-Za-z0-9_-]|\\.[A-Za-z0-9])`;

/**
 * PostgreSQL keeps the last 32 compiled regular expressions per connection; the patterns of one
 * statement must all fit, or every row compiles them again.
 */
const MAX_PATTERNS = 20;
/**
 * Compiling costs more than linear in the pattern: one alternation of 500 people's names, emails and
 * phones took 2 s, twenty of 25 people each 0.1 s together. Fewer alternatives than this are not worth
 * another pattern.
 */
const MIN_ALTERNATIVES = 60;

/**
 * PostgreSQL regular expressions (for `~* ANY(...)` and `regexp_replace(..., 'gi')`, applied in this
 * order) that together find any of these people's name, email or phone in a text, as typed or
 * HTML-escaped; none when there is nothing to look for. Longer values come first, across the patterns
 * too, so "Anna Berg" is replaced whole before "Anna" alone could be.
 */
export function mentionPatterns(people: readonly IdentifyingValues[]): string[] {
  const values = new Map<string, (value: string) => string>();
  for (const person of people) {
    const phone = person.phone?.trim();
    const email = person.email.trim();
    for (const value of [person.fullName.trim(), email, phone && phone.length >= MIN_PHONE_LENGTH ? phone : '']) {
      if (!value) continue;
      const boundaries = value === email ? address : word;
      values.set(value, boundaries);
      values.set(htmlEscape(value), boundaries);
    }
  }
  const alternatives = [...values]
    .sort(([a], [b]) => b.length - a.length || a.localeCompare(b))
    .map(([value, boundaries]) => boundaries(value));
  const size = Math.max(MIN_ALTERNATIVES, Math.ceil(alternatives.length / MAX_PATTERNS));
  const patterns: string[] = [];
  for (let i = 0; i < alternatives.length; i += size) patterns.push(alternatives.slice(i, i + size).join('|'));
  return patterns;
}

/** `column` with every match of the patterns (bound as `param`, a text[]) replaced by "[erased]", pattern by pattern. */
export function redactedSql(column: string, param: string, patterns: readonly string[]): string {
  return patterns.reduce((sql, _, i) => `regexp_replace(${sql}, (${param}::text[])[${i + 1}], '[erased]', 'gi')`, column);
}
