import { IANAZone } from 'luxon';

/** Zone names seen valid; asking Intl costs more than rendering an email, and the names repeat. */
const validZones = new Set<string>();
const VALID_ZONE_MEMORY = 1000;

/** An IANA time zone name such as Europe/Stockholm. */
export function isValidTimeZone(zone: unknown): zone is string {
  if (typeof zone !== 'string') return false;
  if (validZones.has(zone)) return true;
  if (!IANAZone.isValidZone(zone)) return false;
  if (validZones.size < VALID_ZONE_MEMORY) validZones.add(zone);
  return true;
}
