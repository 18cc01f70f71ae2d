import { paramCollector } from '../candidate/candidate-filter';
import { CONTACT_TYPES, GAP_FULL_WEIGHT, HISTORY_TOP_LEVEL, RECENCY_DAYS, SAME_COUNTRY_SHARE, UNKNOWN_LEVEL } from './match-weights';
import { hasKey, HISTORY_LEVEL_SQL, MatchSpec, SKILL_KEY_STRIDE, skillTable } from './match-spec';

/**
 * How many of the vacancy's required skills a person lacks: 0 has them all;
 * the last tier (all of them missing) holds people with other skills of the
 * vacancy, or a promise it keeps. A tier ranks below every tier before it,
 * whatever the scores: missing a required skill puts anyone below everyone
 * who has them all, and missing two below missing one.
 */
export type Tier = number;

/**
 * The tiers of a vacancy, best first: 0 to the number of its required skills. Each is one statement,
 * run only while the page is not full; a tier's statement reads the same people the "some but not
 * all" statement read before tiers were counted, so a vacancy pays for more tiers only when its
 * earlier tiers are too small to fill a page (then the pool it reads is small too).
 */
export function tiersOf(spec: MatchSpec): Tier[] {
  const required = spec.criteria.filter((criterion) => criterion.required).length;
  return Array.from({ length: required + 1 }, (_, missing) => missing);
}

export interface RankRequest {
  tier: Tier;
  /** Rows wanted (the page size, or one more to know there is a next page). */
  need: number;
  minScore: number;
  /** Continue below this (score, id) within the tier. */
  /** `score` in tenths, as rows carry it. */
  after?: { score: number; id: string };
  /** Only people holding a promise this vacancy keeps. */
  promisedOnly?: boolean;
}

/** One ranked candidate as the statement returns it; jsonb details are for the explanation. */
export interface RankedRow {
  id: string;
  full_name: string;
  email: string;
  city: string | null;
  country: string | null;
  updated_at: Date;
  held: number[];
  history_level: number | null;
  closed_keys: number[] | null;
  promise_candidacy_id: string | null;
  contact_at: Date | null;
  contact_type: string | null;
  skills_pts: number;
  history_pts: number;
  gap_pts: number;
  promise_pts: number;
  profile_pts: number;
  location_pts: number;
  contact_pts: number;
  /** Whole tenths of a point, like every *_pts: 652 is 65.2. */
  score: number;
  medals: { medal: 'silver' | 'bronze'; rank: number; vacancyId: string; vacancyTitle: string; awardedAt: string }[];
  best_stage: { stage: string; vacancyId: string; vacancyTitle: string; at: string } | null;
  closed_gaps: { skillId: number; vacancyId: string; vacancyTitle: string; namedAt: string | null }[];
  promise: { candidacyId: string; text: string; vacancyId: string; vacancyTitle: string; madeAt: string | null } | null;
  match: { id: string; status: string } | null;
}

const FIRST = { score: 1e9, id: 'ffffffff-ffff-ffff-ffff-ffffffffffff' };

/**
 * Whether gap row `g` can count as closed by the person's skill keys `held` now: a gap named while they
 * lacked the skill closes once they have it; one named while they had it (GapSkillHeldThen) only at a
 * higher level than they had then. A level not recorded then counts as UNKNOWN_LEVEL, as it does in the
 * skill points: otherwise such a gap could never close. Used for the points and for the gaps the
 * explanation lists.
 */
const gapCanCloseSql = (g: string, held: string) =>
  `(NOT ${g}.held_then OR EXISTS (SELECT 1 FROM unnest(${held}) k
     WHERE k > ${g}.skill_id * ${SKILL_KEY_STRIDE} + 1 + coalesce(${g}.level_then, ${UNKNOWN_LEVEL})
       AND k < (${g}.skill_id + 1) * ${SKILL_KEY_STRIDE}))`;

/**
 * The ranking of one tier as a single statement, or null when the vacancy
 * has no such tier.
 *
 * Everything is computed in PostgreSQL over the people the skill-key GIN
 * index of match_pool selects (the narrow table of candidates who may be
 * contacted); only the page leaves the database. The signals that
 * live on the candidate row and the small history tables are summed first
 * ("cheap"); recent contact needs a look into the timeline, so it is
 * looked up only for the band of candidates that can still reach the page:
 * contact adds at most its weight, so nobody whose cheap score is more
 * than that below the page's last cheap score can overtake it. The
 * ranking is exact, not an approximation.
 */
export function rankingStatement(spec: MatchSpec, request: RankRequest): { sql: string; params: unknown[] } | null {
  const required = spec.criteria.filter((criterion) => criterion.required);
  if (!Number.isInteger(request.tier) || request.tier < 0 || request.tier > required.length) return null;
  const lacksAll = request.tier === required.length;
  const { params, param } = paramCollector();
  /** A bind value used in several places: added once, on first use (PostgreSQL refuses parameters it never sees). */
  const once = (value: unknown, cast = '') => {
    let placeholder: string | undefined;
    return () => (placeholder ??= `${param(value)}${cast}`);
  };
  const w = spec.weights;
  const v = param(spec.vacancyId);
  const now = `${param(spec.now)}::timestamptz`;
  const table = skillTable(spec.criteria);
  const levelKeys = `${param(table.keys)}::int[]`;
  const anyKeys = once(spec.criteria.map((c) => hasKey(c.skillId)), '::int[]');
  const requiredKeys = once(required.map((c) => hasKey(c.skillId)), '::int[]');
  const criterionIds = `${param(spec.criteria.map((c) => c.skillId))}::int[]`;
  const hasKeysSorted = [...spec.criteria].sort((a, b) => a.skillId - b.skillId);
  const gapKeys = `${param(hasKeysSorted.map((c) => hasKey(c.skillId)))}::int[]`;
  const gapWeights = `${param(hasKeysSorted.map((c) => c.weight))}::float8[]`;
  const horizon = `${param(RECENCY_DAYS * 86_400)}::float8`;
  // Points are whole tenths (int): each signal is rounded once, and the score is exactly their sum.
  const tenths = (expression: string) => `floor((${expression}) * 10 + 0.5)::int`;
  const wContact = `${param(Math.round(w.recentContact * 10))}::int`;
  const min = `${param(Math.round(request.minScore * 10))}::int`;
  const after = request.after ?? FIRST;
  const afterScore = `${param(after.score)}::int`;
  const afterId = `${param(after.id)}::uuid`;
  const recency = (column: string, weight: number) =>
    tenths(`${param(weight)}::float8 * greatest(0, least(1, 1 - date_part('epoch', ${now} - ${column}) / ${horizon}))`);

  // match_pool holds the people who may be contacted (see the MatchPool migration); consent expiry is a matter of time.
  const eligible = [
    `p.consent_expires_at > ${now}`,
    `NOT EXISTS (SELECT 1 FROM candidacy x WHERE x.vacancy_id = ${v} AND x.candidate_id = p.candidate_id)`,
    `NOT EXISTS (SELECT 1 FROM candidate_interest i WHERE i.candidate_id = p.candidate_id AND i.paused_until > ${now})`,
    ...(request.promisedOnly ? ['p.candidate_id IN (SELECT candidate_id FROM promised)'] : []),
  ].join(' AND ');
  // Only the vacancy's skills leave the row: their level keys (points) and has-keys (closed gaps).
  const columns = `p.candidate_id AS id, p.skill_keys & ${param([...table.keys, ...hasKeysSorted.map((c) => hasKey(c.skillId))].sort((a, b) => a - b))}::int[] AS held,
    p.updated_at, p.city, p.country`;
  const branches: string[] = [];
  if (spec.criteria.length > 0) {
    const skills =
      required.length === 0 ? `p.skill_keys && ${anyKeys()}`
      : request.tier === 0 ? `p.skill_keys @> ${requiredKeys()}`
      : lacksAll ? `p.skill_keys && ${anyKeys()} AND NOT p.skill_keys && ${requiredKeys()}`
      // Some but not all: the overlap is the index condition, the exact count a filter.
      : `p.skill_keys && ${requiredKeys()} AND icount(p.skill_keys & ${requiredKeys()}) = ${param(required.length - request.tier)}`;
    branches.push(`SELECT ${columns} FROM match_pool p WHERE ${skills} AND ${eligible}`);
  }
  // A promise this vacancy keeps is enough to be matched, skills or not (in the last tier there is).
  if (lacksAll) {
    branches.push(
      `SELECT ${columns} FROM match_pool p
       WHERE p.candidate_id IN (SELECT candidate_id FROM promised) AND NOT p.skill_keys && ${anyKeys()} AND ${eligible}`,
    );
  }

  const sql = `
    WITH promised AS (
      SELECT DISTINCT ON (cy.candidate_id) cy.candidate_id, cy.id AS candidacy_id
      FROM candidacy cy
      WHERE cy.promise IS NOT NULL AND cy.candidate_id IS NOT NULL AND cy.vacancy_id <> ${v}
        AND (cy.promise->>'team' IS NOT NULL OR jsonb_array_length(coalesce(cy.promise->'skills', '[]')) > 0)
        AND (cy.promise->>'team' IS NULL OR lower(btrim(cy.promise->>'team')) = lower(btrim(${param(spec.team)}::text)))
        AND (jsonb_array_length(coalesce(cy.promise->'skills', '[]')) = 0
             OR cy.promise->'skills' ?| ${param(spec.criteria.map((c) => c.name))}::text[])
        AND NOT EXISTS (SELECT 1 FROM vacancy_match k
                        WHERE k.promise_candidacy_id = cy.id AND k.status IN ('invited', 'applied') AND k.vacancy_id <> ${v})
      ORDER BY cy.candidate_id, cy.decided_at DESC
    ), sel AS MATERIALIZED (
      ${branches.join('\n      UNION ALL\n      ')}
    ), hist AS (
      -- The person's earlier processes: the furthest they got (a medal above its stage) and the gaps
      -- named then, in this vacancy's skills. Only for the people selected, through their index.
      SELECT cy.candidate_id, max(${HISTORY_LEVEL_SQL('cy.stage', 'm.medal')}) AS level,
             -- A gap they had the skill for then is closed only by a higher level now (see GapSkillHeldThen).
             array_agg(DISTINCT g.skill_id * ${SKILL_KEY_STRIDE}) FILTER (WHERE g.skill_id IS NOT NULL AND ${gapCanCloseSql('g', 's.held')}) AS gap_keys
      FROM sel s
      JOIN candidacy cy ON cy.candidate_id = s.id
      LEFT JOIN medal m ON m.candidacy_id = cy.id
      LEFT JOIN candidacy_gap_skill g ON g.candidacy_id = cy.id AND g.skill_id = ANY(${criterionIds})
      WHERE cy.vacancy_id <> ${v}
      GROUP BY cy.candidate_id
    ), pts AS MATERIALIZED (
      SELECT x.*, x.skills_pts + x.history_pts + x.gap_pts + x.promise_pts + x.profile_pts + x.location_pts AS cheap
      FROM (
        SELECT s.id, s.held, s.updated_at, s.city, s.country, h.level AS history_level, cl.keys AS closed_keys,
               p.candidacy_id AS promise_candidacy_id,
               ${tenths(`${param(w.skills)}::float8 * coalesce(
                 (SELECT sum((${param(table.points)}::float8[])[idx(${levelKeys}, k)]) FROM unnest(s.held) k), 0)
                 / ${param(Math.max(table.max, 1))}::float8`)} AS skills_pts,
               ${tenths(`${param(w.history)}::float8 * coalesce(h.level, 0) / ${HISTORY_TOP_LEVEL}`)} AS history_pts,
               CASE WHEN cl.keys IS NULL OR cl.keys = '{}' THEN 0 ELSE ${tenths(`${param(w.gapClosure)}::float8 * least(1,
                 (SELECT sum((${gapWeights})[idx(${gapKeys}, k)]) FROM unnest(cl.keys) k) / ${GAP_FULL_WEIGHT})`)} END AS gap_pts,
               CASE WHEN p.candidacy_id IS NULL THEN 0 ELSE ${param(Math.round(w.promise * 10))}::int END AS promise_pts,
               ${recency('s.updated_at', w.profileUpdate)} AS profile_pts,
               CASE WHEN ${param(spec.locationTerms.anywhere)}::boolean THEN ${param(Math.round(w.location * 10))}::int
                    WHEN lower(s.city) = ANY(${param(spec.locationTerms.terms)}::text[]) THEN ${param(Math.round(w.location * 10))}::int
                    WHEN s.country = ANY(${param(spec.locationTerms.countries)}::text[])
                      THEN ${param(Math.round(w.location * SAME_COUNTRY_SHARE * 10))}::int
                    ELSE 0 END AS location_pts
        FROM sel s
        LEFT JOIN hist h ON h.candidate_id = s.id
        LEFT JOIN promised p ON p.candidate_id = s.id
        CROSS JOIN LATERAL (SELECT h.gap_keys & s.held AS keys) cl
        -- Not flattened: each signal is computed once per person, not again wherever it is referenced.
        OFFSET 0
      ) x
      WHERE x.skills_pts + x.history_pts + x.gap_pts + x.promise_pts + x.profile_pts + x.location_pts <= ${afterScore}
    ), cut AS (
      SELECT cheap FROM pts WHERE cheap >= ${min} AND cheap < ${afterScore} - ${wContact}
      ORDER BY cheap DESC OFFSET ${param(request.need - 1)} LIMIT 1
    ), band AS (
      SELECT * FROM pts WHERE cheap >= greatest(${min}, coalesce((SELECT cheap FROM cut), ${min})) - ${wContact}
    ), exact AS (
      SELECT b.*, t.occurred_at AS contact_at, t.type AS contact_type,
             coalesce(${recency('t.occurred_at', w.recentContact)}, 0) AS contact_pts
      FROM band b
      LEFT JOIN LATERAL (
        SELECT tp.occurred_at, tp.type FROM touchpoint tp
        WHERE tp.candidate_id = b.id AND tp.type = ANY(${param([...CONTACT_TYPES])}::text[]) AND tp.occurred_at <= ${now}
        ORDER BY tp.occurred_at DESC, tp.id DESC LIMIT 1
      ) t ON true
    ), top AS (
      SELECT e.*, e.cheap + e.contact_pts AS score FROM exact e
      WHERE e.cheap + e.contact_pts >= ${min} AND (e.cheap + e.contact_pts, e.id) < (${afterScore}, ${afterId})
      ORDER BY e.cheap + e.contact_pts DESC, e.id DESC
      LIMIT ${param(request.need)}
    )
    SELECT top.id, c.full_name, c.email, top.city, top.country, top.updated_at, top.held, top.history_level, top.closed_keys,
           top.promise_candidacy_id, top.contact_at, top.contact_type, top.skills_pts, top.history_pts, top.gap_pts,
           top.promise_pts, top.profile_pts, top.location_pts, top.contact_pts, top.score,
           (SELECT coalesce(jsonb_agg(jsonb_build_object('medal', m.medal, 'rank', m.rank, 'vacancyId', m.vacancy_id,
                                                         'vacancyTitle', mv.title, 'awardedAt', m.awarded_at)
                                      ORDER BY m.awarded_at DESC), '[]')
            FROM medal m JOIN vacancy mv ON mv.id = m.vacancy_id WHERE m.candidate_id = top.id AND m.vacancy_id <> ${v}) AS medals,
           (SELECT jsonb_build_object('stage', cy.stage, 'vacancyId', cy.vacancy_id, 'vacancyTitle', sv.title, 'at', cy.updated_at)
            FROM candidacy cy JOIN vacancy sv ON sv.id = cy.vacancy_id
            WHERE cy.candidate_id = top.id AND cy.vacancy_id <> ${v}
            ORDER BY ${HISTORY_LEVEL_SQL('cy.stage', "''")} DESC, cy.updated_at DESC LIMIT 1) AS best_stage,
           (SELECT coalesce(jsonb_agg(jsonb_build_object('skillId', g.skill_id, 'vacancyId', cy.vacancy_id, 'vacancyTitle', gv.title,
                                                         'namedAt', cy.decided_at) ORDER BY cy.decided_at DESC NULLS LAST), '[]')
            FROM candidacy_gap_skill g JOIN candidacy cy ON cy.id = g.candidacy_id JOIN vacancy gv ON gv.id = cy.vacancy_id
            WHERE cy.candidate_id = top.id AND cy.vacancy_id <> ${v} AND g.skill_id * ${SKILL_KEY_STRIDE} = ANY(top.closed_keys)
              AND ${gapCanCloseSql('g', 'top.held')}) AS closed_gaps,
           (SELECT jsonb_build_object('candidacyId', cy.id, 'text', cy.promise->>'text', 'vacancyId', cy.vacancy_id,
                                      'vacancyTitle', pv.title, 'madeAt', cy.decided_at)
            FROM candidacy cy JOIN vacancy pv ON pv.id = cy.vacancy_id WHERE cy.id = top.promise_candidacy_id) AS promise,
           (SELECT jsonb_build_object('id', vm.id, 'status', vm.status)
            FROM vacancy_match vm WHERE vm.vacancy_id = ${v} AND vm.candidate_id = top.id) AS match
    FROM top JOIN candidate c ON c.id = top.id
    ORDER BY top.score DESC, top.id DESC`;
  return { sql, params };
}
