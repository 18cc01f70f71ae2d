import { IANAZone } from 'luxon';

/** Zone names seen valid; asking Intl costs more than rendering an email, and the names repeat. */
const validZones = new Set<string>();
const VALID_ZONE_MEMORY = 1000;

/**
 * The zones PostgreSQL knows (pg_timezone_names, lower-cased), once the app
 * has asked it at start-up. Node's ICU still has names the tz database
 * dropped (US/Pacific-New, Canada/East-Saskatchewan); stored on a candidate,
 * such a name failed every statement that converts with it: a whole
 * campaign round, for everyone.
 */
let databaseZones: ReadonlySet<string> | undefined;

export function knowDatabaseTimeZones(names: Iterable<string>): void {
  databaseZones = new Set([...names].map((name) => name.toLowerCase()));
  validZones.clear();
}

/** An IANA time zone name such as Europe/Stockholm, known to both luxon and the database. */
export function isValidTimeZone(zone: unknown): zone is string {
  if (typeof zone !== 'string') return false;
  if (validZones.has(zone)) return true;
  if (!IANAZone.isValidZone(zone)) return false;
  if (databaseZones && !databaseZones.has(zone.toLowerCase())) return false;
  if (validZones.size < VALID_ZONE_MEMORY) validZones.add(zone);
  return true;
}
