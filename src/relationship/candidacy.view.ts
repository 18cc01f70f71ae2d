import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { cursorFormat, decodeCursor, DEFAULT_PAGE_LIMIT, Page, toPage } from '../common/pagination/page';
import { Outcome, Stage } from './candidacy-stages';
import { ListCandidaciesQuery } from './dto/candidacy.dto';
import { FeedbackChannel, FeedbackOwner } from './feedback-policy';

const CANDIDACY_CURSOR = cursorFormat('candidacies', 'timestamp', 'uuid');

export interface DecisionReason {
  criterion: string;
  gapSkills: string[];
  note: string | null;
}

export interface CandidatePromise {
  text: string;
  skills: string[];
  team: string | null;
}

export interface FeedbackView {
  id: string;
  stage: Stage;
  channel: FeedbackChannel;
  /** What the candidate was told. */
  summary: string;
  gapSkills: string[];
  givenBy: string;
  givenAt: string;
  emailId: string | null;
  followUpEmailId: string | null;
}

/** A feedback row's columns as FeedbackView names them; the table's alias is `f`. */
export const FEEDBACK_VIEW_COLUMNS = `f.id, f.stage, f.channel, f.summary, f.gap_skills AS "gapSkills", f.given_by AS "givenBy",
  f.given_at AS "givenAt", f.email_id AS "emailId", f.follow_up_email_id AS "followUpEmailId"`;

export type FeedbackViewRow = Omit<FeedbackView, 'givenAt'> & { givenAt: Date };

export function toFeedbackView(row: FeedbackViewRow): FeedbackView {
  return {
    id: row.id, stage: row.stage, channel: row.channel, summary: row.summary, gapSkills: row.gapSkills, givenBy: row.givenBy,
    givenAt: row.givenAt.toISOString(), emailId: row.emailId, followUpEmailId: row.followUpEmailId,
  };
}

export interface CandidacyView {
  id: string;
  candidate: { id: string; fullName: string };
  vacancy: { id: string; title: string };
  stage: Stage;
  outcome: Outcome;
  finalistRank: number | null;
  /** Every stage reached, oldest first. */
  stages: { stage: Stage; at: string }[];
  decision: {
    outcome: Outcome;
    decidedAt: string;
    source: 'recruiter' | 'vacancy_filled' | 'vacancy_cancelled';
    reasons: DecisionReason[];
    promise: CandidatePromise | null;
  } | null;
  /** The structured gap, from the decision and from feedback given. */
  gapSkills: string[];
  feedbackDue: {
    stage: Stage;
    channel: FeedbackChannel;
    owner: FeedbackOwner;
    writtenFollowUp: boolean;
    dueOn: string;
    dueAt: string;
    closedAt: string | null;
    feedbackId: string | null;
  } | null;
  feedback: FeedbackView[];
  createdAt: string;
  updatedAt: string;
}

interface CandidacyRow {
  id: string;
  candidate_id: string;
  full_name: string;
  vacancy_id: string;
  title: string;
  stage: Stage;
  outcome: Outcome;
  finalist_rank: number | null;
  reasons: DecisionReason[];
  promise: CandidatePromise | null;
  decided_at: Date | null;
  decision_source: 'recruiter' | 'vacancy_filled' | 'vacancy_cancelled' | null;
  created_at: Date;
  updated_at: Date;
}

/** Candidacies as the API shows them, and the lists per vacancy and per candidate. */
@Injectable()
export class CandidacyViews {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async load(ids: string[], manager: EntityManager = this.dataSource.manager): Promise<CandidacyView[]> {
    if (ids.length === 0) return [];
    const [rows, stages, gaps, dues, feedback] = await Promise.all([
      manager.query(
        `SELECT cy.id, cy.candidate_id, c.full_name, cy.vacancy_id, v.title, cy.stage, cy.outcome, cy.finalist_rank,
                cy.reasons, cy.promise, cy.decided_at, cy.decision_source, cy.created_at, cy.updated_at
         FROM candidacy cy JOIN candidate c ON c.id = cy.candidate_id JOIN vacancy v ON v.id = cy.vacancy_id
         WHERE cy.id = ANY($1::uuid[])`,
        [ids],
      ) as Promise<CandidacyRow[]>,
      manager.query(
        `SELECT candidacy_id, to_stage, changed_at FROM candidacy_stage_change
         WHERE candidacy_id = ANY($1::uuid[]) ORDER BY changed_at, id`,
        [ids],
      ) as Promise<{ candidacy_id: string; to_stage: Stage; changed_at: Date }[]>,
      manager.query(
        `SELECT g.candidacy_id, s.name FROM candidacy_gap_skill g JOIN skill s ON s.id = g.skill_id
         WHERE g.candidacy_id = ANY($1::uuid[]) ORDER BY s.name`,
        [ids],
      ) as Promise<{ candidacy_id: string; name: string }[]>,
      manager.query(
        `SELECT candidacy_id, stage, channel, owner_role, written_follow_up, due_on::text AS due_on, due_at, closed_at, feedback_id
         FROM feedback_due WHERE candidacy_id = ANY($1::uuid[])`,
        [ids],
      ) as Promise<DueRow[]>,
      this.feedbackOf(ids, manager),
    ]);
    const byId = new Map(rows.map((row) => [row.id, row]));
    const duesById = new Map(dues.map((due) => [due.candidacy_id, due]));
    return ids.flatMap((id) => {
      const row = byId.get(id);
      if (!row) return [];
      const due = duesById.get(id);
      return [{
        id: row.id,
        candidate: { id: row.candidate_id, fullName: row.full_name },
        vacancy: { id: row.vacancy_id, title: row.title },
        stage: row.stage,
        outcome: row.outcome,
        finalistRank: row.finalist_rank,
        stages: stages.filter((s) => s.candidacy_id === id).map((s) => ({ stage: s.to_stage, at: s.changed_at.toISOString() })),
        decision: row.decided_at && row.decision_source
          ? { outcome: row.outcome, decidedAt: row.decided_at.toISOString(), source: row.decision_source, reasons: row.reasons, promise: row.promise }
          : null,
        gapSkills: gaps.filter((g) => g.candidacy_id === id).map((g) => g.name),
        feedbackDue: due
          ? {
              stage: due.stage, channel: due.channel, owner: due.owner_role, writtenFollowUp: due.written_follow_up,
              dueOn: due.due_on, dueAt: due.due_at.toISOString(), closedAt: due.closed_at?.toISOString() ?? null,
              feedbackId: due.feedback_id,
            }
          : null,
        feedback: feedback.get(id) ?? [],
        createdAt: row.created_at.toISOString(),
        updatedAt: row.updated_at.toISOString(),
      }];
    });
  }

  async feedbackOf(candidacyIds: string[], manager: EntityManager = this.dataSource.manager): Promise<Map<string, FeedbackView[]>> {
    const rows: (FeedbackViewRow & { candidacyId: string })[] = await manager.query(
      `SELECT ${FEEDBACK_VIEW_COLUMNS}, f.candidacy_id AS "candidacyId"
       FROM feedback f WHERE f.candidacy_id = ANY($1::uuid[]) ORDER BY f.given_at, f.created_at, f.id`,
      [candidacyIds],
    );
    const result = new Map<string, FeedbackView[]>();
    for (const row of rows) result.set(row.candidacyId, [...(result.get(row.candidacyId) ?? []), toFeedbackView(row)]);
    return result;
  }

  /** Newest first, for one vacancy or one candidate. */
  async list(scope: { vacancyId: string } | { candidateId: string }, query: ListCandidaciesQuery): Promise<Page<CandidacyView>> {
    const limit = query.limit ?? DEFAULT_PAGE_LIMIT;
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    const where = 'vacancyId' in scope ? [`vacancy_id = ${param(scope.vacancyId)}`] : [`candidate_id = ${param(scope.candidateId)}`];
    if (query.stage) where.push(`stage = ${param(query.stage)}`);
    if (query.outcome) where.push(`outcome = ${param(query.outcome)}`);
    if (query.cursor) {
      const [createdAt, id] = decodeCursor(query.cursor, CANDIDACY_CURSOR);
      where.push(`(created_at, id) < (${param(createdAt)}::timestamptz, ${param(id)}::uuid)`);
    }
    const rows: { id: string; created_at: Date }[] = await this.dataSource.query(
      `SELECT id, created_at FROM candidacy WHERE ${where.join(' AND ')}
       ORDER BY created_at DESC, id DESC LIMIT ${param(limit + 1)}`,
      params,
    );
    const page = toPage(rows, limit, CANDIDACY_CURSOR, (last) => [last.created_at.toISOString(), last.id]);
    return { items: await this.load(page.items.map((row) => row.id)), nextCursor: page.nextCursor };
  }
}

interface DueRow {
  candidacy_id: string;
  stage: Stage;
  channel: FeedbackChannel;
  owner_role: FeedbackOwner;
  written_follow_up: boolean;
  due_on: string;
  due_at: Date;
  closed_at: Date | null;
  feedback_id: string | null;
}
