/**
 * The statements one search request sends, straight through pg on a connection of their own: the
 * benchmark's SQL floor, and what its bare HTTP server (bare-search-server.ts) answers with.
 */
import { plainToInstance } from 'class-transformer';
import { Client } from 'pg';
import { rankedAfter } from '../src/candidate/candidate-search.service';
import { CANDIDATE_VIEWS } from '../src/candidate/candidate.view';
import { SearchCandidatesQuery } from '../src/candidate/dto/search-candidates.query';
import { rankCandidates, RankedPosition } from '../src/candidate/search/candidate-ranking';
import { searchFilters } from '../src/candidate/search/search-filters';
import { loadSkillKeyStats } from '../src/candidate/search/skill-key-stats';
import { SqlRunner } from '../src/candidate/search/sql-runner';
import { loadConfig } from '../src/config/app-config';
import { RAISE_MALLOC_THRESHOLDS } from '../src/database/open-data-source';
import { RESOLVE_SKILLS } from '../src/skill/skill.service';
import { normalizeSkillName } from '../src/skill/skill-name';
import { MIX } from './search-mix';

export interface SearchRequest {
  query: SearchCandidatesQuery;
  names: string[];
  skillIds: number[];
  filters: ReturnType<typeof searchFilters>;
  after?: RankedPosition;
}

export interface SearchStatements {
  client: Client;
  requests: SearchRequest[];
  /** The ranking statements alone (rankCandidates) for MIX[i]. */
  rankOnly(i: number): Promise<unknown>;
  /** Every statement the app sends for MIX[i], in the same order; the page as the views statement returns it. */
  fullRequest(i: number): Promise<{ page: string[]; views: unknown[] }>;
  close(): Promise<void>;
}

/** `cursors`: MIX index -> the page-2 cursor the app gave for it. */
export async function openSearchStatements(
  databaseUrl: string, cursors: Map<number, string>, applicationName: string,
): Promise<SearchStatements> {
  // Set up as the app sets up each of its connections: no JIT (src/database/data-source-options.ts), and
  // the malloc thresholds raised (src/database/open-data-source.ts).
  const client = new Client({ connectionString: databaseUrl, application_name: applicationName, options: '-c jit=off' });
  await client.connect();
  try {
    await client.query(RAISE_MALLOC_THRESHOLDS);
    const run: SqlRunner = async (sql, params) => (await client.query(sql, params)).rows;
    // Named, as the app runs them (src/database/prepared-statement.ts): parsed once, planned once.
    const prepared = <T extends object>(statement: { name: string; text: string }, values: unknown[]) =>
      client.query<T>({ name: statement.name, text: statement.text, values });
    const stats = await loadSkillKeyStats(run);
    const zone = loadConfig().DEFAULT_TIME_ZONE;
    const requests: SearchRequest[] = [];
    // The skill names are resolved here, once: an app instance answers them from memory once it has seen
    // them (LOOKUP_CACHE_SECONDS), so they are not part of a timed request. One after another: a pg client
    // runs one query at a time (queuing them is deprecated in pg 8).
    for (const [index, mix] of MIX.entries()) {
      const query = plainToInstance(SearchCandidatesQuery, { ...mix.params, limit: '20' });
      const names = (query.skills ?? []).map(normalizeSkillName);
      const resolved = await prepared<{ id: number | null }>(RESOLVE_SKILLS, [[...new Set(names)]]);
      requests.push({
        query,
        names,
        skillIds: resolved.rows.flatMap((row) => (row.id === null ? [] : [row.id])),
        filters: searchFilters(query, new Date(), zone),
        after: rankedAfter(cursors.get(index)),
      });
    }
    const rankOnly = (i: number) => {
      const r = requests[i];
      return rankCandidates(run, stats, { skillIds: r.skillIds, matchAll: r.query.match === 'all', need: 21, filters: r.filters, after: r.after });
    };
    const fullRequest = async (i: number) => {
      const page = (await rankOnly(i)).slice(0, 20).map((row) => row.id);
      const views = (await prepared(CANDIDATE_VIEWS, [page])).rows;
      return { page, views };
    };
    return { client, requests, rankOnly, fullRequest, close: () => client.end() };
  } catch (error) {
    await client.end();
    throw error;
  }
}
