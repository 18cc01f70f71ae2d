/**
 * What a vacancy's free-text location ("Stockholm (hybrid)", "Berlin, DE",
 * "Remote") says about where people must be, in a form SQL can compare a
 * candidate's city and country with cheaply: the words and word runs it
 * contains (so "New York" and "Göteborg" match a city), the ISO country
 * codes written in capitals, and whether the role is open to anywhere.
 */
export interface LocationTerms {
  /** Lower-case words and runs of up to three words. */
  terms: string[];
  /** ISO 3166-1 alpha-2 codes written as such ("SE"). */
  countries: string[];
  /** No location given, or remote: location is no constraint. */
  anywhere: boolean;
}

const REMOTE = /\b(remote|anywhere|distans|på distans)\b/i;
const MAX_RUN = 3;

export function locationTerms(location: string | null): LocationTerms {
  if (!location || !location.trim()) return { terms: [], countries: [], anywhere: true };
  const onlyRemote = REMOTE.test(location) && !/\b(hybrid|on-?site|office|kontor)\b/i.test(location);
  const words = location.normalize('NFKC').split(/[^\p{L}\p{N}'-]+/u).filter(Boolean);
  const lower = words.map((word) => word.toLowerCase());
  const terms = new Set<string>();
  for (let start = 0; start < lower.length; start++) {
    for (let length = 1; length <= MAX_RUN && start + length <= lower.length; length++) {
      terms.add(lower.slice(start, start + length).join(' '));
    }
  }
  const countries = [...new Set(words.filter((word) => /^[A-Z]{2}$/.test(word)))];
  return { terms: [...terms], countries, anywhere: onlyRemote };
}

export type LocationFit = 'anywhere' | 'city' | 'country' | 'elsewhere' | 'unknown';

/** The same decision as the SQL in MatchRanker, for explaining it. */
export function locationFit(terms: LocationTerms, city: string | null, country: string | null): LocationFit {
  if (terms.anywhere) return 'anywhere';
  if (city && terms.terms.includes(city.trim().toLowerCase())) return 'city';
  if (country && terms.countries.includes(country)) return 'country';
  return city || country ? 'elsewhere' : 'unknown';
}
