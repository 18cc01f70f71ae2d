import { Injectable } from '@nestjs/common';
import { cursorFormat, decodeCursor, DEFAULT_PAGE_LIMIT, invalidCursor, Page, toPage } from '../common/pagination/page';
import { RankMatchesQuery } from './dto/match.dto';
import { explainMatch, MatchExplanation } from './match-explanation';
import { MatchRanker, TieredRow } from './match-ranker';
import { Tier, tiersOf } from './match-ranking';
import { MatchSpec } from './match-spec';
import { MatchSpecs } from './match-specs';

const RANKING_CURSOR = cursorFormat('matches.ranking', 'int', 'int', 'uuid');

export interface RankedMatch extends MatchExplanation {
  candidate: { id: string; fullName: string; city: string | null; country: string | null };
  /** The stored suggestion for this person and vacancy, if a run or a recruiter already acted on it. */
  match: { id: string; status: string } | null;
}

/** The pool ranked against a vacancy, live, each item explaining itself. */
@Injectable()
export class MatchService {
  constructor(
    private readonly specs: MatchSpecs,
    private readonly ranker: MatchRanker,
  ) {}

  async rank(vacancyId: string, query: RankMatchesQuery): Promise<Page<RankedMatch>> {
    const limit = query.limit ?? DEFAULT_PAGE_LIMIT;
    const { spec } = await this.specs.load(vacancyId);
    const after = query.cursor ? decodeCursor(query.cursor, RANKING_CURSOR) : undefined;
    if (after && (!tiersOf(spec).includes(after[0] as Tier) || Math.abs(after[1] as number) > 1e9)) {
      throw invalidCursor();
    }
    const rows = await this.ranker.rank(spec, {
      need: limit + 1,
      minScore: query.minScore ?? 0,
      after: after ? { tier: after[0] as Tier, score: after[1] as number, id: after[2] as string } : undefined,
    });
    const page = toPage(rows, limit, RANKING_CURSOR, (last) => [last.tier, Number(last.score), last.id]);
    return { items: page.items.map((row) => rankedMatch(spec, row)), nextCursor: page.nextCursor };
  }
}

export function rankedMatch(spec: MatchSpec, row: TieredRow): RankedMatch {
  return {
    candidate: { id: row.id, fullName: row.full_name, city: row.city, country: row.country },
    ...explainMatch(spec, row),
    match: row.match,
  };
}
