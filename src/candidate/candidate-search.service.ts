import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { decodeCursor, DEFAULT_PAGE_LIMIT, Page, toPage } from '../common/pagination/page';
import { Clock } from '../common/time/clock';
import { SkillService } from '../skill/skill.service';
import { normaliseTags } from './candidate.service';
import { CandidateView, CandidateViews } from './candidate.view';
import { SearchCandidatesQuery } from './dto/search-candidates.query';

export type SearchHit = CandidateView & { matchedSkills: string[] };

interface RankedRow {
  id: string;
  matched: number;
  level_sum: number;
  updated_key: string;
  matched_ids: number[] | null;
}

/** Microsecond-exact, so keyset pages neither skip nor repeat rows. */
const UPDATED_KEY = `to_char(c.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/**
 * Pool search. With skills, candidates are ranked by how many of the asked
 * skills they have, then the sum of their levels in those skills, then how
 * recently their profile changed.
 */
@Injectable()
export class CandidateSearchService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly skills: SkillService,
    private readonly views: CandidateViews,
    private readonly clock: Clock,
  ) {}

  async search(query: SearchCandidatesQuery): Promise<Page<SearchHit>> {
    const limit = query.limit ?? DEFAULT_PAGE_LIMIT;
    const asked = [...new Set((await this.skills.canonicalNames(query.skills ?? [])).values())].filter(Boolean);
    const ids = await this.skills.existingIds(asked);
    const matchAll = query.match === 'all';
    if (asked.length > 0 && (ids.size === 0 || (matchAll && ids.size < asked.length))) {
      return { items: [], nextCursor: null };
    }
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    const where = this.filters(query, param);
    let sql: string;
    if (asked.length > 0) {
      const skillIds = param([...ids.values()]);
      const minimum = param(matchAll ? ids.size : 1);
      if (query.cursor) {
        const [matched, levelSum, updated, id] = decodeCursor(query.cursor, ['number', 'number', 'timestamp', 'uuid']);
        where.push(
          `(h.matched, h.level_sum, c.updated_at, c.id) < (${param(matched)}, ${param(levelSum)}, ${param(updated)}::timestamptz, ${param(id)}::uuid)`,
        );
      }
      sql = `
        SELECT c.id, h.matched, h.level_sum, ${UPDATED_KEY} AS updated_key, h.matched_ids
        FROM (SELECT candidate_id, count(*)::int AS matched, coalesce(sum(level), 0)::int AS level_sum,
                     array_agg(skill_id) AS matched_ids
              FROM candidate_skill WHERE skill_id = ANY(${skillIds}::int[])
              GROUP BY candidate_id HAVING count(*) >= ${minimum}) h
        JOIN candidate c ON c.id = h.candidate_id
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY h.matched DESC, h.level_sum DESC, c.updated_at DESC, c.id DESC
        LIMIT ${param(limit + 1)}`;
    } else {
      if (query.cursor) {
        const [updated, id] = decodeCursor(query.cursor, ['timestamp', 'uuid']);
        where.push(`(c.updated_at, c.id) < (${param(updated)}::timestamptz, ${param(id)}::uuid)`);
      }
      sql = `
        SELECT c.id, 0 AS matched, 0 AS level_sum, ${UPDATED_KEY} AS updated_key, NULL AS matched_ids
        FROM candidate c
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY c.updated_at DESC, c.id DESC
        LIMIT ${param(limit + 1)}`;
    }
    const rows: RankedRow[] = await this.dataSource.query(sql, params);
    const page = toPage(rows, limit, (last) =>
      asked.length > 0 ? [last.matched, last.level_sum, last.updated_key, last.id] : [last.updated_key, last.id],
    );
    const nameOf = new Map([...ids].map(([name, id]) => [id, name]));
    const views = await this.views.load(page.items.map((row) => row.id));
    const matchedOf = new Map(page.items.map((row) => [row.id, (row.matched_ids ?? []).map((id) => nameOf.get(id)!).sort()]));
    return {
      items: views.map((view) => ({ ...view, matchedSkills: matchedOf.get(view.id) ?? [] })),
      nextCursor: page.nextCursor,
    };
  }

  private filters(query: SearchCandidatesQuery, param: (value: unknown) => string): string[] {
    const where: string[] = [];
    if (query.status) where.push(`c.status = ${param(query.status)}`);
    if (query.country) where.push(`c.country = ${param(query.country)}`);
    if (query.city) where.push(`lower(c.city) = lower(${param(query.city)})`);
    if (query.tags?.length) where.push(`c.tags @> ${param(normaliseTags(query.tags))}::text[]`);
    if (query.consent === 'valid') {
      where.push(`c.consent_withdrawn_at IS NULL AND c.consent_expires_at > ${param(this.clock.now())}`);
    }
    if (query.q) {
      const pattern = `%${query.q.replace(/[%_\\]/g, '\\$&')}%`;
      where.push(`(c.full_name || ' ' || coalesce(c.headline, '')) ILIKE ${param(pattern)}`);
    }
    if (query.updatedSince) where.push(`c.updated_at >= ${param(query.updatedSince)}::timestamptz`);
    return where;
  }
}
