import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import { safeErrorLog } from '../common/errors/safe-error-log';
import { Clock } from '../common/time/clock';
import { nextSendTime, parseSendWindow, SendWindow } from '../common/time/send-window';
import { AppConfig } from '../config/app-config';
import { OutboxService } from '../email/outbox.service';
import { SuppressionService } from '../email/suppression.service';
import { VacancyService } from '../vacancy/vacancy.service';
import { Contact, VacancyView } from '../vacancy/vacancy.view';
import { explainMatch, MatchExplanation } from './match-explanation';
import { MatchRanker, TieredRow } from './match-ranker';
import { MatchSpec } from './match-spec';
import { MatchSpecs } from './match-specs';

export interface MatchRunReport {
  vacancyId: string;
  /** false: another run (any instance) already matched this vacancy today, or it is not open. */
  ran: boolean;
  /** Candidates ranked and considered for storing (the best MATCH_STORE_LIMIT, and every promise this vacancy keeps). */
  considered: number;
  /** New suggestions stored by this run; people suggested before are not suggested again. */
  stored: number;
  /** New suggestions in the recruiter's digest (strong matches and promises). */
  digested: number;
}

/** Vacancies matched per scheduler round; the rest wait for the next minute. */
const ROUND_SIZE = 20;
/** Promises are few; this only bounds a pathological case. */
const PROMISE_CAP = 100;
const DIGEST_CAP = 25;
/** Arbitrary constant: the advisory-lock class of "matching this vacancy" (the other key is the vacancy). */
const RUN_LOCK_CLASS = 741_852_970;

/**
 * Matching runs by itself, a human decides. A run ranks the pool for one
 * open vacancy, stores the best as `suggested` (new people only: a pair is
 * stored once, whatever happened to it since) and sends the vacancy's
 * recruiter one digest of the new strong matches, promises to keep first.
 * Nobody is contacted: inviting is MatchDecisionService's, on request.
 *
 * Runs for one vacancy never overlap (a transaction-scoped advisory lock)
 * and a scheduled run claims the vacancy's day in match_run in the same
 * transaction as its work, so several instances match each vacancy once a
 * day, and a failed run leaves the day free to retry.
 */
@Injectable()
export class MatchRunService {
  private readonly logger = new Logger(MatchRunService.name);
  private readonly workingHours: SendWindow;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly specs: MatchSpecs,
    private readonly ranker: MatchRanker,
    private readonly outbox: OutboxService,
    private readonly suppression: SuppressionService,
    private readonly vacancies: VacancyService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {
    this.workingHours = parseSendWindow(config.SEND_WINDOW);
  }

  /**
   * The scheduler's round: vacancies opened since they were last looked at
   * (at any hour), and from MATCH_HOUR every open vacancy not yet matched
   * today (profiles change).
   */
  async runDue(): Promise<MatchRunReport[]> {
    const local = DateTime.fromJSDate(this.clock.now(), { zone: this.config.DEFAULT_TIME_ZONE });
    const day = local.toISODate()!;
    const due: { id: string }[] = await this.dataSource.query(
      `SELECT v.id FROM vacancy v LEFT JOIN match_run r ON r.vacancy_id = v.id
       WHERE v.status = 'open' AND (r.vacancy_id IS NULL OR ($2 AND r.run_on < $1::date))
       ORDER BY v.opened_at, v.id LIMIT $3`,
      [day, local.hour >= this.config.MATCH_HOUR, ROUND_SIZE],
    );
    const reports: MatchRunReport[] = [];
    for (const { id } of due) {
      // One vacancy failing (a deadlock, a person erased mid-run) must not keep the others from their run.
      try {
        reports.push(await this.run(id, { claimDay: day }));
      } catch (error) {
        this.logger.error({ vacancyId: id, ...safeErrorLog(error) }, 'Matching a vacancy failed; the round goes on');
      }
    }
    return reports;
  }

  /** One vacancy now. A scheduled run passes the day it claims; a recruiter's run just runs (after any run in progress). */
  async run(vacancyId: string, options: { claimDay?: string } = {}): Promise<MatchRunReport> {
    const now = this.clock.now();
    const day = options.claimDay ?? DateTime.fromJSDate(now, { zone: this.config.DEFAULT_TIME_ZONE }).toISODate()!;
    const skipped: MatchRunReport = { vacancyId, ran: false, considered: 0, stored: 0, digested: 0 };
    const report = await this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock($1, hashtext($2))`, [RUN_LOCK_CLASS, vacancyId]);
      // Read before the claim: match_run's foreign key would turn an unknown vacancy into a 500. A vacancy
      // deleted between the scheduler's pick and its run is skipped, not allowed to end the round.
      const loaded = await this.specs.load(vacancyId, manager).catch((error: unknown) => {
        if (options.claimDay && error instanceof DomainError && error.code === 'VacancyNotFound') return null;
        throw error;
      });
      if (!loaded) return skipped;
      const { spec, status } = loaded;
      const [claimed] = await manager.query(
        `INSERT INTO match_run (vacancy_id, run_on, started_at) VALUES ($1, $2, $3)
         ON CONFLICT (vacancy_id) DO UPDATE SET run_on = greatest(match_run.run_on, EXCLUDED.run_on), started_at = EXCLUDED.started_at
         WHERE $4 OR match_run.run_on < EXCLUDED.run_on
         RETURNING vacancy_id`,
        [vacancyId, day, now, !options.claimDay],
      );
      if (!claimed) return skipped;
      if (status !== 'open') {
        if (!options.claimDay) {
          throw new DomainError('VacancyStateConflict', `The vacancy is ${status}; only open vacancies are matched.`, {
            vacancyStatus: status,
          });
        }
        return skipped;
      }
      await this.markApplied(manager, vacancyId, now);
      const promised = await this.ranker.rank(spec, { need: PROMISE_CAP, minScore: 0, promisedOnly: true }, manager);
      const best = await this.ranker.rank(spec, { need: this.config.MATCH_STORE_LIMIT, minScore: 0 }, manager);
      const considered = [...new Map([...promised, ...best].map((row) => [row.id, row])).values()];
      const stored = await this.store(manager, spec, considered, now);
      const digested = stored.length ? await this.digest(manager, spec, await this.vacancies.get(vacancyId, manager), stored, now) : 0;
      const result: MatchRunReport = { vacancyId, ran: true, considered: considered.length, stored: stored.length, digested };
      await manager.query(`UPDATE match_run SET report = $2 WHERE vacancy_id = $1`, [vacancyId, JSON.stringify(result)]);
      return result;
    });
    if (report.ran) this.logger.log(report, 'Vacancy matched');
    return report;
  }

  /** Suggested or invited people who have since become candidates for the vacancy. */
  private async markApplied(manager: EntityManager, vacancyId: string, now: Date): Promise<void> {
    await manager.query(
      `UPDATE vacancy_match m SET status = 'applied', applied_at = $2, updated_at = $2
       WHERE m.vacancy_id = $1 AND m.status IN ('suggested', 'invited')
         AND EXISTS (SELECT 1 FROM candidacy cy WHERE cy.vacancy_id = m.vacancy_id AND cy.candidate_id = m.candidate_id)`,
      [vacancyId, now],
    );
  }

  /** One statement; a pair stored before (by any run, in any status) stays as it is. Returns the rows new to this run. */
  private async store(manager: EntityManager, spec: MatchSpec, rows: TieredRow[], now: Date): Promise<TieredRow[]> {
    if (rows.length === 0) return [];
    const payload = rows.map((row) => {
      const explanation = explainMatch(spec, row);
      return {
        candidate_id: row.id, score: explanation.score, meets_required: explanation.meetsRequired,
        promise_candidacy_id: row.promise_candidacy_id, explanation,
      };
    });
    const inserted: { candidate_id: string }[] = await manager.query(
      `INSERT INTO vacancy_match (vacancy_id, candidate_id, score, meets_required, promise_candidacy_id, explanation, found_at, updated_at)
       SELECT $1, r.candidate_id, r.score, r.meets_required, r.promise_candidacy_id, r.explanation, $2, $2
       FROM jsonb_to_recordset($3::jsonb) AS r(candidate_id uuid, score numeric, meets_required boolean, promise_candidacy_id uuid, explanation jsonb)
       ON CONFLICT ON CONSTRAINT vacancy_match_pair DO NOTHING
       RETURNING candidate_id`,
      [spec.vacancyId, now, JSON.stringify(payload)],
    );
    const fresh = new Set(inserted.map((row) => row.candidate_id));
    return rows.filter((row) => fresh.has(row.id));
  }

  /**
   * The recruiter's email (the hiring manager's when the vacancy has no
   * recruiter): promises to keep on top, flagged, then strong matches by score.
   */
  private async digest(manager: EntityManager, spec: MatchSpec, vacancy: VacancyView, fresh: TieredRow[], now: Date): Promise<number> {
    const locale = this.config.DEFAULT_LOCALE;
    const strong = fresh
      .map((row) => ({ row, explanation: explainMatch(spec, row, locale, { quotePromise: false }) }))
      .filter(({ row, explanation }) =>
        row.promise_candidacy_id !== null || (explanation.meetsRequired && explanation.score >= this.config.MATCH_STRONG_SCORE))
      .sort((a, b) =>
        Number(b.row.promise_candidacy_id !== null) - Number(a.row.promise_candidacy_id !== null)
        || b.explanation.score - a.explanation.score || a.row.id.localeCompare(b.row.id));
    const items = strong.slice(0, DIGEST_CAP);
    if (items.length === 0) return 0;
    const ids = items.map(({ row }) => row.id).sort();
    const digestKey = `match-digest:${vacancy.id}:${createHash('sha256').update(ids.join(',')).digest('hex').slice(0, 32)}`;
    const to = await this.suppression.firstReachable([vacancy.recruiter, vacancy.hiringManager].filter((contact): contact is Contact => contact !== null), manager);
    if (to) await this.enqueueDigest(manager, to, digestKey, vacancy, items, strong.length, now);
    await manager.query(
      `UPDATE vacancy_match SET digested_at = $3 WHERE vacancy_id = $1 AND candidate_id = ANY($2::uuid[])`,
      [vacancy.id, ids, now],
    );
    return items.length;
  }

  private enqueueDigest(
    manager: EntityManager, to: Contact, idempotencyKey: string, vacancy: VacancyView,
    items: { row: TieredRow; explanation: MatchExplanation }[], strongCount: number, now: Date,
  ) {
    const locale = this.config.DEFAULT_LOCALE;
    return this.outbox.enqueueForStaff({
      toAddress: to.email,
      locale,
      timeZone: this.config.DEFAULT_TIME_ZONE,
      // The nightly round runs at MATCH_HOUR (2 a.m. by default); the digest waits for working hours
      // (SEND_WINDOW, in the organisation's time zone), where a recruiter reads it.
      sendAt: nextSendTime(now, this.config.DEFAULT_TIME_ZONE, this.workingHours),
      templateKey: 'match_digest',
      idempotencyKey,
      data: {
        recipient: { name: to.name },
        vacancy: { title: vacancy.title },
        matches: items.map(({ row, explanation }) => ({
          candidateName: row.full_name,
          score: explanation.score,
          explanation: explanation.summary,
          promise: row.promise_candidacy_id !== null,
        })),
        // Past the cap the email says how many more there are; the API lists them all.
        more: strongCount - items.length,
      },
    }, manager);
  }
}
