import { addressKey } from '../../email/suppression.service';

export type Query = <T>(sql: string, params: unknown[]) => Promise<T[]>;

/**
 * Which of these addresses (former addresses of the people `candidateIds`) someone else holds now, as
 * addressKey keys: compared as the suppression list compares addresses, canonical form and lower case, on
 * both sides. The other person's address may be stored in an older spelling (an invisible character,
 * full-width letters: CanonicalEmailsAndTags leaves it so when the canonical spelling was taken), which
 * lower() alone does not see as the same address: erasure would suppress it (that person never mailed
 * again) and redact it from staff emails that name them.
 *
 * Printable ASCII is its own canonical form, where lower() and addressKey agree, so the first half finds
 * nearly everyone by the unique index on lower(email); the second reads the few stored with anything else
 * (the partial index candidate_email_not_plain) and compares them here.
 */
export async function addressesHeldByOthers(query: Query, addresses: string[], candidateIds: string[]): Promise<Set<string>> {
  const keys = new Set(addresses.map(addressKey));
  if (keys.size === 0) return keys;
  const rows = await query<{ email: string }>(
    `SELECT email FROM candidate WHERE lower(email) = ANY($1::text[]) AND id <> ALL($2::uuid[])
     UNION ALL
     SELECT email FROM candidate WHERE email ~ '[^\\x21-\\x7e]' AND id <> ALL($2::uuid[])`,
    [[...keys], candidateIds],
  );
  return new Set(rows.map((row) => addressKey(row.email)).filter((key) => keys.has(key)));
}
