import { CandidateStatus } from './candidate.entity';
import { normaliseTags } from './candidate.service';
import { hasKey } from './search/skill-keys';

/**
 * Who is in a segment of the pool, as pool search and campaign audiences
 * both describe it. Skills arrive already resolved to ids (the caller knows
 * the aliases); a skill nobody has yet is `null`, and matches nobody.
 */
export interface CandidateFilter {
  skillIds?: readonly (number | null)[];
  /** `any` (default): at least one of the skills; `all`: every one. */
  match?: 'any' | 'all';
  /** A candidate must carry every tag (compared case-insensitively). */
  tags?: readonly string[];
  /** ISO 3166-1 alpha-2. */
  country?: string;
  /** Compared case-insensitively. */
  city?: string;
  status?: CandidateStatus;
  /** Only candidates whose talent-pool consent is valid at this time. */
  consentValidAt?: Date;
  /** true: holds a silver medal from some process; false: holds none. */
  silverMedalist?: boolean;
  /** Reached the final (or an offer) for this vacancy. */
  finalistOf?: string;
  /** No email was sent to them at or after this time ("not contacted since"). */
  notContactedSince?: Date;
}

/** Adds a bind value and returns its placeholder (`$3`). */
export type SqlParam = (value: unknown) => string;

/**
 * The WHERE fragments (to be AND-ed) that select the filter's candidates
 * from `candidate <alias>`. Pure: values only ever travel as bind
 * parameters through `param`. Skills use the `skill_keys` array and its
 * GIN index, so a segment of a million candidates is an index lookup.
 */
export function candidateFilterSql(filter: CandidateFilter, param: SqlParam, alias = 'c'): string[] {
  if (!/^[a-z_][a-z0-9_]*$/i.test(alias)) throw new Error(`Not an SQL alias: ${alias}`);
  const where: string[] = [];
  const skillIds = filter.skillIds ?? [];
  if (skillIds.length > 0) {
    const known = [...new Set(skillIds.filter((id): id is number => id !== null))];
    const matchAll = filter.match === 'all';
    if (known.length === 0 || (matchAll && skillIds.includes(null))) return ['false'];
    const keys = param(known.map(hasKey));
    where.push(matchAll ? `${alias}.skill_keys @> ${keys}::int[]` : `${alias}.skill_keys && ${keys}::int[]`);
  }
  const tags = normaliseTags([...(filter.tags ?? [])]);
  if (tags.length > 0) where.push(`${alias}.tags @> ${param(tags)}::text[]`);
  if (filter.country) where.push(`${alias}.country = ${param(filter.country.toUpperCase())}`);
  if (filter.city) where.push(`lower(${alias}.city) = lower(${param(filter.city)})`);
  if (filter.status) where.push(`${alias}.status = ${param(filter.status)}`);
  if (filter.consentValidAt) {
    where.push(
      `${alias}.consent_withdrawn_at IS NULL`,
      `${alias}.consent_expires_at > ${param(filter.consentValidAt)}::timestamptz`,
    );
  }
  where.push(...historyFilterSql(filter, param, alias));
  return where;
}

/**
 * Process-history and contact filters, as EXISTS so a candidate with several
 * medals, candidacies or emails is still one row. Each probes by candidate:
 * medal_candidate_vacancy, candidacy_pair and email_candidate lead with
 * candidate_id.
 */
function historyFilterSql(filter: CandidateFilter, param: SqlParam, alias: string): string[] {
  const where: string[] = [];
  // Only a silver medal counts: a bronze medalist is not a silver medalist.
  const silver = `EXISTS (SELECT 1 FROM medal m WHERE m.candidate_id = ${alias}.id AND m.medal = 'silver')`;
  if (filter.silverMedalist === true) where.push(silver);
  if (filter.silverMedalist === false) where.push(`NOT ${silver}`);
  if (filter.finalistOf) {
    where.push(
      `EXISTS (SELECT 1 FROM candidacy f WHERE f.candidate_id = ${alias}.id AND f.vacancy_id = ${param(filter.finalistOf)}::uuid ` +
        `AND f.stage IN ('final', 'offer'))`,
    );
  }
  if (filter.notContactedSince) {
    where.push(
      `NOT EXISTS (SELECT 1 FROM email sent WHERE sent.candidate_id = ${alias}.id AND sent.status = 'sent' ` +
        `AND sent.sent_at >= ${param(filter.notContactedSince)}::timestamptz)`,
    );
  }
  return where;
}

/** A `param` that collects values into `params`, for callers building one statement. */
export function paramCollector(params: unknown[] = []): { params: unknown[]; param: SqlParam } {
  return { params, param: (value: unknown) => `$${params.push(value)}` };
}
