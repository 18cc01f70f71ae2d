import { HISTORY_LEVELS, MatchWeights, TOP_LEVEL, UNKNOWN_LEVEL } from './match-weights';
import { LocationTerms, locationTerms } from './location-fit';

export interface Criterion {
  skillId: number;
  name: string;
  weight: number;
  required: boolean;
}

/** Everything the ranking needs to know about one vacancy, resolved once per request. */
export interface MatchSpec {
  vacancyId: string;
  title: string;
  team: string | null;
  location: string | null;
  /** Most important first (required, then weight, then name). */
  criteria: Criterion[];
  locationTerms: LocationTerms;
  weights: MatchWeights;
  now: Date;
  /** The organisation's: "n days ago" and "June 2025" are on its calendar. */
  timeZone: string;
}

export function matchSpec(
  vacancy: { id: string; title: string; team: string | null; location: string | null },
  criteria: Criterion[],
  weights: MatchWeights,
  now: Date,
  timeZone: string,
): MatchSpec {
  return {
    vacancyId: vacancy.id,
    title: vacancy.title,
    team: vacancy.team,
    location: vacancy.location,
    criteria: [...criteria].sort((a, b) => Number(b.required) - Number(a.required) || b.weight - a.weight || a.name.localeCompare(b.name)),
    locationTerms: locationTerms(vacancy.location),
    weights,
    now,
    timeZone,
  };
}

/**
 * Must match how skill keys are built in the CandidateSkillKeys migration:
 * `skill * 8` has the skill, `skill * 8 + 1 + level` has it at that level
 * (unknown level = 0).
 */
export const SKILL_KEY_STRIDE = 8;
export const hasKey = (skillId: number) => skillId * SKILL_KEY_STRIDE;
export const levelKey = (skillId: number, level: number | null) => skillId * SKILL_KEY_STRIDE + 1 + (level ?? 0);

export const isHasKey = (key: number) => key % SKILL_KEY_STRIDE === 0;

/** A level key back to its skill and level (null: unknown). */
export function decodeLevelKey(key: number): { skillId: number; level: number | null } {
  const offset = key % SKILL_KEY_STRIDE;
  const level = offset - 1;
  return { skillId: (key - offset) / SKILL_KEY_STRIDE, level: level === 0 ? null : level };
}

/**
 * The skill-coverage arithmetic as arrays SQL can look up: every level key
 * of every criterion (sorted, as intarray's `&` returns them) with the
 * points it is worth, weight x level, and the most any candidate can have.
 */
export function skillTable(criteria: Criterion[]): { keys: number[]; points: number[]; max: number } {
  const entries = criteria.flatMap((criterion) =>
    [null, 1, 2, 3, 4, 5].map((level) => ({
      key: levelKey(criterion.skillId, level),
      points: criterion.weight * (level ?? UNKNOWN_LEVEL),
    })),
  );
  entries.sort((a, b) => a.key - b.key);
  return {
    keys: entries.map((entry) => entry.key),
    points: entries.map((entry) => entry.points),
    max: criteria.reduce((sum, criterion) => sum + criterion.weight * TOP_LEVEL, 0),
  };
}

/** Stage reached or medal won, as the level HISTORY_LEVELS gives it. */
export const HISTORY_LEVEL_SQL = (stage: string, medal: string) => `greatest(
  CASE ${medal} WHEN 'silver' THEN ${HISTORY_LEVELS.silver} WHEN 'bronze' THEN ${HISTORY_LEVELS.bronze} ELSE 0 END,
  CASE ${stage} WHEN 'offer' THEN ${HISTORY_LEVELS.offer} WHEN 'final' THEN ${HISTORY_LEVELS.final}
    WHEN 'interview' THEN ${HISTORY_LEVELS.interview} WHEN 'screening' THEN ${HISTORY_LEVELS.screening} ELSE 0 END)`;
