import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import { cursorFormat, decodeCursor, DEFAULT_PAGE_LIMIT, Page, toPage } from '../common/pagination/page';
import { ListMatchesQuery, MatchStatus } from './dto/match.dto';
import { MatchExplanation } from './match-explanation';

const STORED_MATCH_CURSOR = cursorFormat('matches', 'timestamp', 'uuid');

/** A stored suggestion: who, for which vacancy, what a human decided, and the explanation they saw. */
export interface MatchView {
  id: string;
  vacancy: { id: string; title: string; status: string };
  candidate: { id: string; fullName: string };
  status: MatchStatus;
  score: number;
  meetsRequired: boolean;
  /** This vacancy keeps a promise we made the person; inviting them keeps it. */
  promiseToKeep: boolean;
  explanation: MatchExplanation;
  foundAt: string;
  digestedAt: string | null;
  invitedAt: string | null;
  invitationEmailId: string | null;
  dismissedAt: string | null;
  dismissReason: string | null;
  appliedAt: string | null;
  updatedAt: string;
}

interface MatchRow {
  id: string;
  vacancy_id: string;
  title: string;
  vacancy_status: string;
  candidate_id: string;
  full_name: string;
  status: MatchStatus;
  score: string;
  meets_required: boolean;
  promise_candidacy_id: string | null;
  explanation: MatchExplanation;
  found_at: Date;
  digested_at: Date | null;
  invited_at: Date | null;
  invitation_email_id: string | null;
  dismissed_at: Date | null;
  dismiss_reason: string | null;
  applied_at: Date | null;
  updated_at: Date;
}

const COLUMNS = `m.id, m.vacancy_id, v.title, v.status AS vacancy_status, m.candidate_id, c.full_name, m.status, m.score,
  m.meets_required, m.promise_candidacy_id, m.explanation, m.found_at, m.digested_at, m.invited_at, m.invitation_email_id,
  m.dismissed_at, m.dismiss_reason, m.applied_at, m.updated_at`;

export function matchNotFound(id: string): DomainError {
  return new DomainError('MatchNotFound', `No match with id ${id}.`);
}

/** Stored matches as the API shows them; newest first. */
@Injectable()
export class MatchViews {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async get(id: string, manager: EntityManager = this.dataSource.manager): Promise<MatchView> {
    const [row]: MatchRow[] = await manager.query(
      `SELECT ${COLUMNS} FROM vacancy_match m JOIN vacancy v ON v.id = m.vacancy_id JOIN candidate c ON c.id = m.candidate_id
       WHERE m.id = $1`,
      [id],
    );
    if (!row) throw matchNotFound(id);
    return toView(row);
  }

  async list(query: ListMatchesQuery): Promise<Page<MatchView>> {
    const limit = query.limit ?? DEFAULT_PAGE_LIMIT;
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    const where: string[] = [];
    if (query.vacancyId) where.push(`m.vacancy_id = ${param(query.vacancyId)}`);
    if (query.candidateId) where.push(`m.candidate_id = ${param(query.candidateId)}`);
    if (query.status) where.push(`m.status = ${param(query.status)}`);
    if (query.cursor) {
      const [foundAt, id] = decodeCursor(query.cursor, STORED_MATCH_CURSOR);
      where.push(`(m.found_at, m.id) < (${param(foundAt)}::timestamptz, ${param(id)}::uuid)`);
    }
    const rows: MatchRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM vacancy_match m JOIN vacancy v ON v.id = m.vacancy_id JOIN candidate c ON c.id = m.candidate_id
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY m.found_at DESC, m.id DESC LIMIT ${param(limit + 1)}`,
      params,
    );
    const page = toPage(rows, limit, STORED_MATCH_CURSOR, (last) => [last.found_at.toISOString(), last.id]);
    return { items: page.items.map(toView), nextCursor: page.nextCursor };
  }
}

const iso = (date: Date | null) => date?.toISOString() ?? null;

function toView(row: MatchRow): MatchView {
  return {
    id: row.id,
    vacancy: { id: row.vacancy_id, title: row.title, status: row.vacancy_status },
    candidate: { id: row.candidate_id, fullName: row.full_name },
    status: row.status,
    score: Number(row.score),
    meetsRequired: row.meets_required,
    promiseToKeep: row.promise_candidacy_id !== null,
    explanation: row.explanation,
    foundAt: row.found_at.toISOString(),
    digestedAt: iso(row.digested_at),
    invitedAt: iso(row.invited_at),
    invitationEmailId: row.invitation_email_id,
    dismissedAt: iso(row.dismissed_at),
    dismissReason: row.dismiss_reason,
    appliedAt: iso(row.applied_at),
    updatedAt: row.updated_at.toISOString(),
  };
}
