import { calendarDaysBetween } from '../common/time/calendar-days';
import { Locale } from '../config/app-config';
import { LocationFit, locationFit } from './location-fit';
import { PHRASES } from './match-phrases';
import { RankedRow } from './match-ranking';
import { Criterion, decodeLevelKey, isHasKey, MatchSpec } from './match-spec';
import { Signal } from './match-weights';

export interface SignalScore {
  signal: Signal;
  points: number;
  max: number;
  explanation: string;
}

export interface MatchedSkill {
  name: string;
  /** 1-5; null when the candidate did not give one (counted as 3). */
  level: number | null;
  weight: number;
  required: boolean;
}

export interface VacancyRef {
  id: string;
  title: string;
}

/** Everything a recruiter needs to see why someone ranks where they do, in plain words and in parts. */
export interface MatchExplanation {
  score: number;
  /** False: misses a required skill, so ranked below everyone who has them all. */
  meetsRequired: boolean;
  /** One line, as the digest shows it. */
  summary: string;
  /** Points per signal; they add up to the score. */
  signals: SignalScore[];
  matchedSkills: MatchedSkill[];
  missingSkills: Omit<MatchedSkill, 'level'>[];
  /** Skills named as their gap when they were not chosen before, which they now have. */
  closedGaps: { skill: string; level: number | null; vacancy: VacancyRef; namedAt: string | null }[];
  /** A promise we made them that this vacancy keeps. */
  promise: { text: string; vacancy: VacancyRef; madeAt: string | null } | null;
  medals: { medal: 'silver' | 'bronze'; rank: number; vacancy: VacancyRef; awardedAt: string }[];
  /** The furthest they got with us before. */
  history: { stage: string; vacancy: VacancyRef } | null;
  lastContact: { at: string; type: string } | null;
  profileUpdatedAt: string;
  location: { fit: LocationFit; city: string | null; country: string | null };
}

/** Points arrive as whole tenths (see match-ranking.ts). */
const num = (tenths: number | null | undefined) => (tenths ?? 0) / 10;
const iso = (value: string | Date | null | undefined) => (value ? new Date(value).toISOString() : null);

/** Turns a ranked row into its explanation; the points come from SQL, the words from here. */
/**
 * `quotePromise: false` leaves the promise's own words out of the summary (it still says there is one):
 * for emails to staff, which outlive the person's erasure and must not carry what was promised to them.
 */
export function explainMatch(spec: MatchSpec, row: RankedRow, locale: Locale = 'en', { quotePromise = true } = {}): MatchExplanation {
  const say = PHRASES[locale];
  const w = spec.weights;
  const bySkill = new Map<number, Criterion>(spec.criteria.map((criterion) => [criterion.skillId, criterion]));
  // `held` has both kinds of key for each of the vacancy's skills the person has; the level key says the level.
  const levels = new Map<number, number | null>(row.held.filter((key) => !isHasKey(key)).map((key) => {
    const { skillId, level } = decodeLevelKey(key);
    return [skillId, level];
  }));
  const matchedSkills: MatchedSkill[] = spec.criteria
    .filter((criterion) => levels.has(criterion.skillId))
    .map((criterion) => ({ name: criterion.name, level: levels.get(criterion.skillId) ?? null, weight: criterion.weight, required: criterion.required }));
  const missingSkills = spec.criteria
    .filter((criterion) => !levels.has(criterion.skillId))
    .map(({ name, weight, required }) => ({ name, weight, required }));
  const missingRequired = missingSkills.filter((skill) => skill.required).map((skill) => skill.name);
  const requiredCount = spec.criteria.filter((criterion) => criterion.required).length;

  const closedGaps = dedupeBySkill(row.closed_gaps).flatMap((gap) => {
    const criterion = bySkill.get(gap.skillId);
    return criterion
      ? [{ skill: criterion.name, level: levels.get(gap.skillId) ?? null, vacancy: { id: gap.vacancyId, title: gap.vacancyTitle }, namedAt: iso(gap.namedAt) }]
      : [];
  });
  const medals = row.medals.map((medal) => ({
    medal: medal.medal, rank: medal.rank, vacancy: { id: medal.vacancyId, title: medal.vacancyTitle }, awardedAt: iso(medal.awardedAt)!,
  }));
  const history = row.best_stage
    ? { stage: row.best_stage.stage, vacancy: { id: row.best_stage.vacancyId, title: row.best_stage.vacancyTitle } }
    : null;
  const promise = row.promise
    ? { text: row.promise.text, vacancy: { id: row.promise.vacancyId, title: row.promise.vacancyTitle }, madeAt: iso(row.promise.madeAt) }
    : null;
  const fit = locationFit(spec.locationTerms, row.city, row.country);
  const updatedAt = new Date(row.updated_at);
  const lastContact = row.contact_at ? { at: new Date(row.contact_at).toISOString(), type: row.contact_type ?? '' } : null;

  const gapsByVacancy = new Map<string, { title: string; skills: { name: string; level: number | null }[] }>();
  for (const gap of closedGaps) {
    const entry = gapsByVacancy.get(gap.vacancy.id) ?? { title: gap.vacancy.title, skills: [] };
    entry.skills.push({ name: gap.skill, level: gap.level });
    gapsByVacancy.set(gap.vacancy.id, entry);
  }
  const bestMedal = medals.find((medal) => medal.medal === 'silver') ?? medals[0];

  const signals: SignalScore[] = [
    {
      signal: 'skills', points: num(row.skills_pts), max: w.skills,
      explanation: say.skills(matchedSkills, spec.criteria.length, missingSkills.map((skill) => skill.name), missingRequired, requiredCount),
    },
    {
      signal: 'history', points: num(row.history_pts), max: w.history,
      explanation: bestMedal
        ? say.medal(bestMedal.medal, bestMedal.vacancy.title, bestMedal.awardedAt, spec.timeZone)
        : history && history.stage !== 'applied' ? say.stage(history.stage, history.vacancy.title) : say.noHistory,
    },
    {
      signal: 'gapClosure', points: num(row.gap_pts), max: w.gapClosure,
      explanation: gapsByVacancy.size === 0
        ? say.noGap
        : [...gapsByVacancy.values()].map((entry) => say.closedGap(entry.title, entry.skills)).join(' '),
    },
    {
      signal: 'promise', points: num(row.promise_pts), max: w.promise,
      explanation: promise ? say.promise(promise.text, promise.vacancy.title) : say.noPromise,
    },
    {
      signal: 'recentContact', points: num(row.contact_pts), max: w.recentContact,
      explanation: lastContact ? say.contact(calendarDaysBetween(new Date(lastContact.at), spec.now, spec.timeZone), lastContact.type) : say.noContact,
    },
    { signal: 'profileUpdate', points: num(row.profile_pts), max: w.profileUpdate, explanation: say.profile(calendarDaysBetween(updatedAt, spec.now, spec.timeZone)) },
    {
      signal: 'location', points: num(row.location_pts), max: w.location,
      explanation: say.location(fit, row.city, row.country, spec.location),
    },
  ];

  const summary = [
    promise ? (quotePromise ? `${say.summaryPromise}: "${promise.text}"` : say.summaryPromise) : null,
    closedGaps.length ? say.summaryGap([...new Set(closedGaps.map((gap) => gap.skill))]) : null,
    bestMedal ? say.summaryMedal(bestMedal.medal, bestMedal.vacancy.title)
      : history && history.stage !== 'applied' ? say.summaryStage(history.stage, history.vacancy.title) : null,
    missingRequired.length
      ? `${say.summarySkills(matchedSkills.length, spec.criteria.length, 0)}, ${say.summaryMissing(missingRequired)}`
      : say.summarySkills(matchedSkills.length, spec.criteria.length, requiredCount),
    fit === 'city' && row.city ? say.summaryCity(row.city) : null,
  ].filter((part): part is string => part !== null);

  return {
    score: num(row.score),
    meetsRequired: missingRequired.length === 0,
    summary: capitalise(summary.join('; ')) + '.',
    signals,
    matchedSkills,
    missingSkills,
    closedGaps,
    promise,
    medals,
    history,
    lastContact,
    profileUpdatedAt: updatedAt.toISOString(),
    location: { fit, city: row.city, country: row.country },
  };
}

/**
 * Why we think of them, in words the candidate reads in the invitation:
 * the closed gap first (it is what changed), then a promise, then skills.
 * Never scores or internal notes.
 */
export function invitationReason(explanation: MatchExplanation, locale: Locale): string {
  const say = PHRASES[locale];
  if (explanation.closedGaps.length) return say.reasonGap([...new Set(explanation.closedGaps.map((gap) => gap.skill))]);
  if (explanation.promise) return say.reasonPromise;
  const skills = [...explanation.matchedSkills].sort((a, b) => Number(b.required) - Number(a.required) || b.weight - a.weight).slice(0, 3);
  if (skills.length) return say.reasonSkills(skills.map((skill) => skill.name));
  if (explanation.history) return say.reasonHistory(explanation.history.vacancy.title);
  return say.reasonDefault;
}

function dedupeBySkill<T extends { skillId: number }>(gaps: T[]): T[] {
  const seen = new Set<number>();
  return gaps.filter((gap) => !seen.has(gap.skillId) && seen.add(gap.skillId));
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
