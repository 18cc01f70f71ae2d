/** class-transformer @Transform functions shared by the DTOs: surrounding spaces never count. */
export const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** A number as a person writes it in a query string: digits, an optional minus and decimals. */
const PLAIN_NUMBER = /^-?\d{1,15}(\.\d{1,15})?$/;

/**
 * A query-string number, read only when written plainly ("20", "-1", "2.5"). `@Type(() => Number)` also read
 * "0x10", "1e1", " 10" and "" (as 0); those stay text here, for the number check to refuse by name.
 */
export const queryNumber = ({ value }: { value: unknown }) => (typeof value === 'string' && PLAIN_NUMBER.test(value) ? Number(value) : value);

/** Invisible format characters (zero-width space and joiners, BOM, direction marks) that text copied from web pages carries. */
const FORMAT_CHARACTERS = /\p{Cf}/gu;

/**
 * An email address as typed or pasted, in the one form it is stored and compared in: compatibility
 * forms folded (full-width letters), invisible characters and surrounding spaces removed. Otherwise
 * "optout@example.com" with a zero-width space was a new person, unknown to the suppression list.
 */
export function canonicalEmail(address: string): string {
  return address.normalize('NFKC').replace(FORMAT_CHARACTERS, '').trim();
}

export const emailAddress = ({ value }: { value: unknown }) => (typeof value === 'string' ? canonicalEmail(value) : value);

/** A phone number as pasted: no-break and thin spaces, full-width digits and invisible characters made plain (canonicalText). */
export const phoneNumber = ({ value }: { value: unknown }) => (typeof value === 'string' ? canonicalText(value) : value);

/** Text compared as people read it: compatibility forms folded, invisible characters dropped, runs of spaces made one. */
export function canonicalText(text: string): string {
  return text.normalize('NFKC').replace(FORMAT_CHARACTERS, '').replace(/\s+/g, ' ').trim();
}
