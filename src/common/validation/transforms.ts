/** class-transformer @Transform functions shared by the DTOs: surrounding spaces never count. */
export const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

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

/**
 * A phone number as pasted: compatibility forms folded (no-break and thin spaces, full-width digits),
 * invisible characters removed, runs of spaces made one.
 */
export const phoneNumber = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.normalize('NFKC').replace(FORMAT_CHARACTERS, '').replace(/\s+/g, ' ').trim() : value;
