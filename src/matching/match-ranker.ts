import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { addressKey, SuppressionService } from '../email/suppression.service';
import { rankingStatement, RankedRow, Tier, tiersOf } from './match-ranking';
import { MatchSpec } from './match-spec';

export interface RankPosition {
  tier: Tier;
  score: number;
  id: string;
}

export type TieredRow = RankedRow & { tier: Tier };

export interface RankOptions {
  need: number;
  minScore: number;
  after?: RankPosition;
  /** Only people holding a promise this vacancy keeps. */
  promisedOnly?: boolean;
}

/**
 * Runs the ranking tier by tier: everyone with all required skills first;
 * the statement for the next tier runs only when the ones before did not
 * fill the page. Addresses on the suppression list (bounced, complained)
 * are keyed hashes the SQL cannot compare, so they are dropped here from
 * the page and the ranking continues past them.
 *
 * No transaction and no statement settings: JIT is off for all the app's
 * connections (its compile time dwarfs these statements), and the default
 * work_mem keeps the history join on its index; a larger one made the
 * planner hash the whole candidacy history and doubled the time of a
 * ranking over a few thousand people.
 */
@Injectable()
export class MatchRanker {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly suppression: SuppressionService,
  ) {}

  async rank(spec: MatchSpec, options: RankOptions, manager: EntityManager = this.dataSource.manager): Promise<TieredRow[]> {
    const kept: TieredRow[] = [];
    let after = options.after;
    for (;;) {
      const wanted = options.need - kept.length;
      const rows = await this.tiers(manager, spec, { ...options, need: wanted, after });
      const blocked = await this.suppression.reasonsForDisplay(rows.map((row) => row.email), manager);
      kept.push(...rows.filter((row) => !blocked.has(addressKey(row.email))));
      if (rows.length < wanted || kept.length >= options.need) return kept;
      const last = rows[rows.length - 1];
      after = { tier: last.tier, score: last.score, id: last.id };
    }
  }

  /** Up to `need` rows from `after` on, tier by tier; a tier's statement runs only while the page is not full. */
  private async tiers(manager: EntityManager, spec: MatchSpec, options: RankOptions): Promise<TieredRow[]> {
    const rows: TieredRow[] = [];
    for (const tier of tiersOf(spec).filter((t) => t >= (options.after?.tier ?? 0))) {
      const wanted = options.need - rows.length;
      if (wanted <= 0) break;
      const after = tier === options.after?.tier ? { score: options.after.score, id: options.after.id } : undefined;
      const statement = rankingStatement(spec, { tier, need: wanted, minScore: options.minScore, after, promisedOnly: options.promisedOnly });
      if (!statement) continue;
      const batch: RankedRow[] = await manager.query(statement.sql, statement.params);
      rows.push(...batch.map((row) => ({ ...row, tier })));
    }
    return rows;
  }
}
