import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import pLimit = require('p-limit');
import { DataSource } from 'typeorm';
import { cursorFormat, decodeCursor, DEFAULT_PAGE_LIMIT, Page, toPage } from '../common/pagination/page';
import { Clock } from '../common/time/clock';
import { AppConfig } from '../config/app-config';
import { SkillService } from '../skill/skill.service';
import { CandidateView, CandidateViews } from './candidate.view';
import { SearchCandidatesQuery } from './dto/search-candidates.query';
import { rankCandidates, RankedPosition } from './search/candidate-ranking';
import { listByRecency } from './search/recency';
import { searchFilters } from './search/search-filters';
import { SkillKeyStatsCache } from './search/skill-key-stats';
import { SqlRunner } from './search/sql-runner';

/** Pages of a search by skills (by rank) and of a search without them (newest first). */
const RANKED_CURSOR = cursorFormat('candidates.ranked', 'int', 'int', 'timestamp', 'uuid');
const RECENT_CURSOR = cursorFormat('candidates.recent', 'timestamp', 'uuid');

/** Where a page of a search by skills starts: after the ranking position its cursor holds. */
export function rankedAfter(cursor: string | undefined): RankedPosition | undefined {
  if (!cursor) return undefined;
  const [matched, levelSum, updated, id] = decodeCursor(cursor, RANKED_CURSOR);
  return { matched: matched as number, levelSum: levelSum as number, updated: updated as string, id: id as string };
}

export type SearchHit = CandidateView & { matchedSkills: string[] };

/**
 * Pool search. With skills, candidates are ranked by how many of the asked
 * skills they have, then the sum of their levels in those skills, then how
 * recently their profile changed (search/candidate-ranking.ts, which does it
 * without ranking every candidate who has one of the skills); without
 * skills, newest first (search/recency.ts). Either way the non-skill filters
 * are search/search-filters.ts.
 */
@Injectable()
export class CandidateSearchService {
  private readonly stats = new SkillKeyStatsCache();
  /**
   * Admission control (SEARCH_CONCURRENCY): at 8 concurrent clients on 2 cores, letting every search
   * into the database at once stretched the heaviest ones to a p95 of 120-150 ms; queued first come,
   * first served, they stay under 100 ms at the same throughput (bench/search.bench.ts).
   */
  private readonly gate: pLimit.Limit;
  private readonly zone: string;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly skills: SkillService,
    private readonly views: CandidateViews,
    private readonly clock: Clock,
    config: AppConfig,
  ) {
    this.gate = pLimit(config.SEARCH_CONCURRENCY);
    this.zone = config.DEFAULT_TIME_ZONE;
  }

  search(query: SearchCandidatesQuery): Promise<Page<SearchHit>> {
    return this.gate(() => this.searchNow(query));
  }

  private async searchNow(query: SearchCandidatesQuery): Promise<Page<SearchHit>> {
    const limit = query.limit ?? DEFAULT_PAGE_LIMIT;
    const { names: asked, ids } = await this.skills.resolve(query.skills ?? []);
    const matchAll = query.match === 'all';
    if (asked.length > 0 && (ids.size === 0 || (matchAll && ids.size < asked.length))) {
      return { items: [], nextCursor: null };
    }
    const run: SqlRunner = (sql, params) => this.dataSource.query(sql, params);
    const filters = searchFilters(query, this.clock.now(), this.zone);
    let page: Page<{ id: string; matchedIds: number[] }>;
    if (asked.length > 0) {
      const stats = await this.stats.get(run);
      const rows = await rankCandidates(run, stats, {
        skillIds: [...ids.values()],
        matchAll,
        need: limit + 1,
        filters,
        after: rankedAfter(query.cursor),
      });
      page = toPage(rows, limit, RANKED_CURSOR, (last) => [last.matched, last.levelSum, last.updated, last.id]);
    } else {
      const after = query.cursor ? decodeCursor(query.cursor, RECENT_CURSOR) : undefined;
      const rows = await listByRecency(run, filters, limit + 1, after && { updated: after[0] as string, id: after[1] as string });
      page = toPage(rows, limit, RECENT_CURSOR, (last) => [last.updated, last.id]);
    }
    const nameOf = new Map([...ids].map(([name, id]) => [id, name]));
    const views = await this.views.load(page.items.map((row) => row.id));
    const matchedOf = new Map(page.items.map((row) => [row.id, row.matchedIds.map((id) => nameOf.get(id)!).sort()]));
    return {
      items: views.map((view) => ({ ...view, matchedSkills: matchedOf.get(view.id) ?? [] })),
      nextCursor: page.nextCursor,
    };
  }
}
