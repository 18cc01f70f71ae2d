import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { SuppressionService } from '../email/suppression.service';
import { rankingStatement, RankedRow, Tier, TIERS } from './match-ranking';
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
 * The statements are cheap to run but long to JIT-compile (hundreds of ms,
 * seconds with optimisation), and their cost estimates are high enough that
 * PostgreSQL would compile them on every request. The people being ranked
 * (tens of thousands for common skills) are kept in memory, not spilled.
 */
const NO_JIT = `SET LOCAL jit = off; SET LOCAL work_mem = '32MB'`;

/**
 * Runs the ranking tier by tier: everyone with all required skills first;
 * the statement for the next tier runs only when the ones before did not
 * fill the page. Addresses on the suppression list (bounced, complained)
 * are keyed hashes the SQL cannot compare, so they are dropped here from
 * the page and the ranking continues past them. Always in a transaction,
 * for the statement-level settings.
 */
@Injectable()
export class MatchRanker {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly suppression: SuppressionService,
  ) {}

  async rank(spec: MatchSpec, options: RankOptions, manager?: EntityManager): Promise<TieredRow[]> {
    const kept: TieredRow[] = [];
    let after = options.after;
    for (;;) {
      const wanted = options.need - kept.length;
      const { rows, blocked } = manager
        ? await this.rankWith(manager, spec, { ...options, need: wanted, after })
        : await this.rankAlone(spec, { ...options, need: wanted, after });
      kept.push(...rows.filter((row) => !blocked.has(row.email.trim().toLowerCase())));
      if (rows.length < wanted || kept.length >= options.need) return kept;
      const last = rows[rows.length - 1];
      after = { tier: last.tier, score: last.score, id: last.id };
    }
  }

  private async rankWith(manager: EntityManager, spec: MatchSpec, options: RankOptions) {
    await manager.query(NO_JIT);
    const rows = await this.tiers(manager, spec, options);
    return { rows, blocked: await this.suppression.reasons(rows.map((row) => row.email)) };
  }

  /** A request of its own: BEGIN and the settings in one round trip; the suppression check alongside COMMIT. */
  private async rankAlone(spec: MatchSpec, options: RankOptions) {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.query(`BEGIN; ${NO_JIT}`);
      const rows = await this.tiers(runner.manager, spec, options);
      const [, blocked] = await Promise.all([runner.query('COMMIT'), this.suppression.reasons(rows.map((row) => row.email))]);
      return { rows, blocked };
    } catch (error) {
      await runner.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
  }

  /** Up to `need` rows from `after` on, tier by tier; a tier's statement runs only while the page is not full. */
  private async tiers(manager: EntityManager, spec: MatchSpec, options: RankOptions): Promise<TieredRow[]> {
    const rows: TieredRow[] = [];
    for (const tier of TIERS.filter((t) => t >= (options.after?.tier ?? 0))) {
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
