import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { SuppressionService } from '../email/suppression.service';
import { rankingStatement, RankedRow, Tier } from './match-ranking';
import { MatchSpec } from './match-spec';

export interface RankPosition {
  tier: Tier;
  score: number;
  id: string;
}

export type TieredRow = RankedRow & { tier: Tier };

/**
 * Runs the ranking tier by tier: everyone with all required skills first;
 * the statement for those missing one runs only when the first tier did
 * not fill the page. Addresses on the suppression list (bounced, complained)
 * are keyed hashes the SQL cannot compare, so they are dropped here from
 * the page and the ranking continues past them.
 */
@Injectable()
export class MatchRanker {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly suppression: SuppressionService,
  ) {}

  async rank(
    spec: MatchSpec,
    options: { need: number; minScore: number; after?: RankPosition; promisedOnly?: boolean },
    manager: EntityManager = this.dataSource.manager,
  ): Promise<TieredRow[]> {
    const rows: TieredRow[] = [];
    let tier: Tier | 2 = options.after?.tier ?? 0;
    let after = options.after ? { score: options.after.score, id: options.after.id } : undefined;
    while (tier !== 2 && rows.length < options.need) {
      const wanted = options.need - rows.length;
      const statement = rankingStatement(spec, { tier, need: wanted, minScore: options.minScore, after, promisedOnly: options.promisedOnly });
      if (!statement) break;
      const batch: RankedRow[] = await manager.query(statement.sql, statement.params);
      const blocked = await this.suppression.reasons(batch.map((row) => row.email));
      for (const row of batch) if (!blocked.has(row.email.trim().toLowerCase())) rows.push({ ...row, tier });
      if (batch.length < wanted) {
        tier = tier === 0 ? 1 : 2;
        after = undefined;
      } else {
        const last = batch[batch.length - 1];
        after = { score: Number(last.score), id: last.id };
      }
    }
    return rows;
  }
}
