import { CandidateFilter, candidateFilterSql, SqlParam } from '../candidate-filter';
import { minusDuration } from '../../common/time/durations';
import { dayOrInstant } from '../../common/time/day-or-instant';
import { SearchCandidatesQuery } from '../dto/search-candidates.query';

/** Filters as SQL over `candidate c`, built per statement so each gets its own parameter numbers. */
export interface SearchFilters {
  any: boolean;
  /**
   * True when every filtered column is in the candidate_search_recency index
   * (an index-only walk). The medal filters are not: each row they test costs
   * an index probe into another table, priced like a heap visit.
   */
  covered: boolean;
  /** Equal for equal filters (the consent time aside), to cache their selectivity. */
  signature: string;
  sql(param: SqlParam): string[];
}

/**
 * The non-skill filters of a search. The segment part is the shared
 * candidateFilterSql, as campaign audiences use it. Skills are not passed to
 * it: its skill test is membership only, while search ranks by skills
 * (candidate-ranking.ts), which both filters and orders. `zone`: the
 * organisation's, where a bare `updatedSince` date is a day.
 */
export function searchFilters(query: SearchCandidatesQuery, now: Date, zone: string): SearchFilters {
  const segment: CandidateFilter = {
    tags: query.tags,
    country: query.country,
    city: query.city,
    status: query.status,
    consentValidAt: query.consent === 'valid' ? now : undefined,
    silverMedalist: query.silverMedalist === undefined ? undefined : query.silverMedalist === 'true',
    finalistOf: query.finalistOf,
    notContactedSince: query.notContactedFor ? minusDuration(now, query.notContactedFor) : undefined,
  };
  const updatedSince = query.updatedSince ? dayOrInstant(query.updatedSince, zone, 'start') : undefined;
  const sql = (param: SqlParam) => {
    const where = candidateFilterSql(segment, param);
    if (query.q) {
      const pattern = `%${query.q.replace(/[%_\\]/g, '\\$&')}%`;
      where.push(`(c.full_name || ' ' || coalesce(c.headline, '')) ILIKE ${param(pattern)}`);
    }
    if (updatedSince) where.push(`c.updated_at >= ${param(updatedSince)}::timestamptz`);
    return where;
  };
  const signature = JSON.stringify([
    query.status, query.country, query.city?.toLowerCase(), query.tags, query.consent, query.q, query.updatedSince,
    query.silverMedalist, query.finalistOf, query.notContactedFor,
  ]);
  const medalFiltered = query.silverMedalist !== undefined || query.finalistOf !== undefined || query.notContactedFor !== undefined;
  return { any: sql(() => '$0').length > 0, covered: !query.tags?.length && !query.q && !medalFiltered, signature, sql };
}
