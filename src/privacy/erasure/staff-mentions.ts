/** What identifies a person in free text (an empty value: nothing to look for). */
export interface IdentifyingValues {
  fullName: string;
  email: string;
  phone: string | null;
}

type Query = (sql: string, params: unknown[]) => Promise<{ values: IdentifyingValues[] }[]>;

/**
 * By what staff texts can name these people: their name, email and phone now, and those they had
 * before a correction (candidate_former_identity). A former address another candidate holds now
 * (a mistyped one that was fixed, say) is left out: it names that other person now.
 */
export async function identifyingValuesOf(query: Query, candidateIds: string[]): Promise<IdentifyingValues[]> {
  const rows = await query(
    `SELECT jsonb_build_array(jsonb_build_object('fullName', c.full_name, 'email', c.email, 'phone', c.phone))
              || coalesce((SELECT jsonb_agg(jsonb_build_object(
                                 'fullName', f.full_name,
                                 'email', CASE WHEN EXISTS (SELECT 1 FROM candidate o WHERE lower(o.email) = lower(f.email) AND o.id <> c.id)
                                               THEN '' ELSE f.email END,
                                 'phone', f.phone) ORDER BY f.id)
                          FROM candidate_former_identity f WHERE f.candidate_id = c.id), '[]'::jsonb) AS values
     FROM candidate c WHERE c.id = ANY($1::uuid[])`,
    [candidateIds],
  );
  return rows.flatMap((row) => row.values);
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
 * A PostgreSQL regular expression (for `~*` and `regexp_replace(..., 'gi')`)
 * that finds any of these people's name, email or phone in a text, as
 * typed or HTML-escaped; null when there is nothing to look for. Longer
 * values come first so "Anna Berg" is replaced whole, not "Anna" alone.
 */
export function mentionPattern(people: readonly IdentifyingValues[]): string | null {
  const values = new Set<string>();
  for (const person of people) {
    const phone = person.phone?.trim();
    for (const value of [person.fullName.trim(), person.email.trim(), phone && phone.length >= MIN_PHONE_LENGTH ? phone : '']) {
      if (!value) continue;
      values.add(value);
      values.add(htmlEscape(value));
    }
  }
  if (values.size === 0) return null;
  return [...values].sort((a, b) => b.length - a.length || a.localeCompare(b)).map(word).join('|');
}
