import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { cursorFormat, decodeCursor, DEFAULT_PAGE_LIMIT, Page, toPage } from '../common/pagination/page';
import { Clock } from '../common/time/clock';
import { AppConfig } from '../config/app-config';
import { businessDeadline } from './business-days';
import { Stage } from './candidacy-stages';
import { ListDueQuery } from './dto/feedback.dto';
import { calendarOf, FeedbackChannel, FeedbackOwner } from './feedback-policy';
import { RelationshipSettings } from './relationship-settings.service';

const FEEDBACK_DUE_CURSOR = cursorFormat('feedback.due', 'timestamp', 'uuid');

export interface DueItem {
  candidacyId: string;
  candidate: { id: string; fullName: string };
  vacancy: { id: string; title: string };
  stage: Stage;
  channel: FeedbackChannel;
  owner: { role: FeedbackOwner; name: string; email: string };
  decidedAt: string;
  /** The last business day on which the feedback is on time. */
  dueOn: string;
  /** The instant it becomes late (the end of dueOn in the organisation's time zone). */
  dueAt: string;
  state: 'overdue' | 'due-soon' | 'upcoming';
  /** Calendar days since dueOn; 0 while not late. */
  daysLate: number;
}

interface DueRow {
  candidacy_id: string;
  candidate_id: string;
  full_name: string;
  vacancy_id: string;
  title: string;
  stage: Stage;
  channel: FeedbackChannel;
  owner_role: FeedbackOwner;
  owner_name: string;
  owner_email: string;
  decided_at: Date;
  due_on: string;
  due_at: Date;
  days_late: number;
}

/** The owner is resolved when read, so a new hiring manager or recruiter takes over what is still open. */
const OWNER_NAME = `CASE WHEN d.owner_role = 'recruiter' AND v.recruiter_email IS NOT NULL THEN v.recruiter_name ELSE v.hiring_manager_name END`;
const OWNER_EMAIL = `CASE WHEN d.owner_role = 'recruiter' AND v.recruiter_email IS NOT NULL THEN v.recruiter_email ELSE v.hiring_manager_email END`;

/** Feedback owed and not yet given: most urgent first. */
@Injectable()
export class FeedbackDueService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly settings: RelationshipSettings,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  async list(query: ListDueQuery): Promise<Page<DueItem>> {
    const limit = query.limit ?? DEFAULT_PAGE_LIMIT;
    const now = this.clock.now();
    const dueSoonUntil = await this.dueSoonUntil(now);
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    const nowParam = param(now);
    const where = [`d.closed_at IS NULL`];
    if (query.state === 'overdue') where.push(`d.due_at <= ${nowParam}`);
    if (query.state === 'due-soon') where.push(`d.due_at > ${nowParam}`, `d.due_at <= ${param(dueSoonUntil)}`);
    if (query.state === 'upcoming') where.push(`d.due_at > ${param(dueSoonUntil)}`);
    if (query.vacancyId) where.push(`cy.vacancy_id = ${param(query.vacancyId)}`);
    if (query.ownerEmail) where.push(`lower(${OWNER_EMAIL}) = lower(${param(query.ownerEmail)})`);
    if (query.cursor) {
      const [dueAt, id] = decodeCursor(query.cursor, FEEDBACK_DUE_CURSOR);
      where.push(`(d.due_at, d.candidacy_id) > (${param(dueAt)}::timestamptz, ${param(id)}::uuid)`);
    }
    const rows = await this.query(this.dataSource.manager, where, nowParam, params, `LIMIT ${param(limit + 1)}`);
    const page = toPage(rows, limit, FEEDBACK_DUE_CURSOR, (last) => [last.due_at.toISOString(), last.candidacy_id]);
    return { items: page.items.map((row) => toItem(row, now, dueSoonUntil)), nextCursor: page.nextCursor };
  }

  /** Every open item that is overdue or due soon, for the digest (set-based, one statement). */
  async overdueOrDueSoon(manager: EntityManager, now: Date): Promise<DueItem[]> {
    const dueSoonUntil = await this.dueSoonUntil(now, manager);
    const rows = await this.query(manager, [`d.closed_at IS NULL`, `d.due_at <= $2`], '$1', [now, dueSoonUntil], '');
    return rows.map((row) => toItem(row, now, dueSoonUntil));
  }

  /** Deadlines up to the end of the policy's due-soon window count as due soon. */
  async dueSoonUntil(now: Date, manager?: EntityManager): Promise<Date> {
    const policy = await this.settings.feedbackPolicy(manager);
    return businessDeadline(now, policy.dueSoonBusinessDays, calendarOf(policy, this.config.DEFAULT_TIME_ZONE)).dueAt;
  }

  private query(manager: EntityManager, where: string[], nowParam: string, params: unknown[], limit: string): Promise<DueRow[]> {
    const zone = `$${params.push(this.config.DEFAULT_TIME_ZONE)}`;
    return manager.query(
      `SELECT d.candidacy_id, cy.candidate_id, c.full_name, cy.vacancy_id, v.title, d.stage, d.channel, d.owner_role,
              ${OWNER_NAME} AS owner_name, ${OWNER_EMAIL} AS owner_email, d.decided_at, d.due_on::text AS due_on, d.due_at,
              greatest(0, (${nowParam}::timestamptz AT TIME ZONE ${zone})::date - d.due_on) AS days_late
       FROM feedback_due d
       JOIN candidacy cy ON cy.id = d.candidacy_id
       JOIN candidate c ON c.id = cy.candidate_id
       JOIN vacancy v ON v.id = cy.vacancy_id
       WHERE ${where.join(' AND ')}
       ORDER BY d.due_at, d.candidacy_id ${limit}`,
      params,
    );
  }
}

function toItem(row: DueRow, now: Date, dueSoonUntil: Date): DueItem {
  return {
    candidacyId: row.candidacy_id,
    candidate: { id: row.candidate_id, fullName: row.full_name },
    vacancy: { id: row.vacancy_id, title: row.title },
    stage: row.stage,
    channel: row.channel,
    owner: { role: row.owner_role, name: row.owner_name, email: row.owner_email },
    decidedAt: row.decided_at.toISOString(),
    dueOn: row.due_on,
    dueAt: row.due_at.toISOString(),
    state: row.due_at <= now ? 'overdue' : row.due_at <= dueSoonUntil ? 'due-soon' : 'upcoming',
    daysLate: row.days_late,
  };
}
