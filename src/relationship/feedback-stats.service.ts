import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DateTime } from 'luxon';
import { dayOrInstant } from '../common/time/day-or-instant';
import { DataSource } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import { Clock } from '../common/time/clock';
import { AppConfig } from '../config/app-config';
import { VacancyService } from '../vacancy/vacancy.service';
import { Stage, STAGES } from './candidacy-stages';
import { FeedbackStatsQuery } from './dto/feedback.dto';

export interface FeedbackFigures {
  /** Decisions in the period that owed feedback. */
  owing: number;
  given: number;
  givenOnTime: number;
  /** givenOnTime out of owing, in percent (one decimal); null when nothing was owed. */
  onTimePercent: number | null;
  medianHoursToFeedback: number | null;
  p90HoursToFeedback: number | null;
  /** Still not given, and past the deadline now. */
  ghosted: number;
}

export interface FeedbackStats {
  from: string;
  to: string;
  vacancyId: string | null;
  stages: ({ stage: Stage } & FeedbackFigures)[];
  total: FeedbackFigures;
}

interface FiguresRow {
  stage: Stage | null;
  owing: number;
  given: number;
  given_on_time: number;
  median_hours: number | null;
  p90_hours: number | null;
  ghosted: number;
}

const DEFAULT_PERIOD_DAYS = 90;

/** How well the team keeps the feedback promise, per stage, over decisions made in a period. */
@Injectable()
export class FeedbackStatsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly vacancies: VacancyService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  async stats(query: FeedbackStatsQuery): Promise<FeedbackStats> {
    const now = this.clock.now();
    const to = query.to ? dayOrInstant(query.to, this.config.DEFAULT_TIME_ZONE, 'end') : now;
    const from = query.from ? dayOrInstant(query.from, this.config.DEFAULT_TIME_ZONE, 'start') : DateTime.fromJSDate(to).minus({ days: DEFAULT_PERIOD_DAYS }).toJSDate();
    if (from >= to) throw DomainError.field('from', 'from must be before to');
    if (query.vacancyId) await this.vacancies.get(query.vacancyId);
    const rows: FiguresRow[] = await this.dataSource.query(
      `WITH owed AS (
         SELECT d.stage, d.decided_at, d.due_at, d.closed_at, d.waived_at, f.given_at,
                extract(epoch FROM greatest(f.given_at - d.decided_at, interval '0')) / 3600 AS hours
         FROM feedback_due d
         JOIN candidacy cy ON cy.id = d.candidacy_id
         LEFT JOIN feedback f ON f.id = d.feedback_id
         WHERE d.decided_at >= $1 AND d.decided_at < $2 AND ($3::uuid IS NULL OR cy.vacancy_id = $3)
       )
       SELECT stage,
              count(*) FILTER (WHERE waived_at IS NULL)::int AS owing,
              count(*) FILTER (WHERE closed_at IS NOT NULL)::int AS given,
              count(*) FILTER (WHERE given_at < due_at)::int AS given_on_time,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY hours) FILTER (WHERE given_at IS NOT NULL) AS median_hours,
              percentile_cont(0.9) WITHIN GROUP (ORDER BY hours) FILTER (WHERE given_at IS NOT NULL) AS p90_hours,
              count(*) FILTER (WHERE closed_at IS NULL AND waived_at IS NULL AND due_at <= $4)::int AS ghosted
       FROM owed GROUP BY GROUPING SETS ((stage), ())`,
      [from, to, query.vacancyId ?? null, now],
    );
    const figuresOf = (row: FiguresRow | undefined): FeedbackFigures => ({
      owing: row?.owing ?? 0,
      given: row?.given ?? 0,
      givenOnTime: row?.given_on_time ?? 0,
      onTimePercent: row?.owing ? Math.round((1000 * row.given_on_time) / row.owing) / 10 : null,
      medianHoursToFeedback: round(row?.median_hours),
      p90HoursToFeedback: round(row?.p90_hours),
      ghosted: row?.ghosted ?? 0,
    });
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      vacancyId: query.vacancyId ?? null,
      stages: STAGES.map((stage) => ({ stage, ...figuresOf(rows.find((row) => row.stage === stage)) })),
      total: figuresOf(rows.find((row) => row.stage === null)),
    };
  }
}

function round(hours: number | null | undefined): number | null {
  return hours === null || hours === undefined ? null : Math.round(Number(hours) * 10) / 10;
}
