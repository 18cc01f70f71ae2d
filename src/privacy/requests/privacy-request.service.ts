import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Principal } from '../../common/auth/roles';
import { CandidateService } from '../../candidate/candidate.service';
import { DomainError } from '../../common/errors/domain-error';
import { cursorFormat, decodeCursor, DEFAULT_PAGE_LIMIT, Page, toPage } from '../../common/pagination/page';
import { Clock } from '../../common/time/clock';
import { dayOrInstant } from '../../common/time/day-or-instant';
import { AppConfig } from '../../config/app-config';
import { AuditLog } from '../audit/audit-log.service';
import {
  CreatePrivacyRequestDto, ListPrivacyRequestsQuery, PrivacyRequestKind, PrivacyRequestStatus, UpdatePrivacyRequestDto,
} from './dto/privacy-request.dto';
import { daysOverdue, lastDayOf, privacyRequestDueAt } from './privacy-deadline';

const PRIVACY_REQUEST_CURSOR = cursorFormat('privacy-requests', 'timestamp', 'uuid');

export interface PrivacyRequestView {
  id: string;
  candidateId: string | null;
  kind: PrivacyRequestKind;
  status: PrivacyRequestStatus;
  receivedAt: string;
  /** The last day to answer (organisation time zone). */
  dueOn: string;
  /** When it becomes overdue: the end of dueOn. */
  dueAt: string;
  overdue: boolean;
  daysOverdue: number;
  notes: string | null;
  createdByKeyId: string | null;
  handledByKeyId: string | null;
  handledAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** For the recruiter digest: no notes, no names. */
export type OverduePrivacyRequest = Pick<PrivacyRequestView, 'id' | 'candidateId' | 'kind' | 'status' | 'receivedAt' | 'dueOn' | 'daysOverdue'>;

interface Row {
  id: string;
  candidate_id: string | null;
  kind: PrivacyRequestKind;
  status: PrivacyRequestStatus;
  received_at: Date;
  due_at: Date;
  notes: string | null;
  created_by_key_id: string | null;
  handled_by_key_id: string | null;
  handled_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

const OPEN: PrivacyRequestStatus[] = ['open', 'in_progress'];

/**
 * Data-subject requests (access, erasure, rectification) with the date
 * they arrived, the one-month legal deadline, their status and who handled
 * them. Erasing the person closes their open erasure request (see
 * CandidateEraser); the other kinds are closed here once served.
 */
@Injectable()
export class PrivacyRequestService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditLog,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly candidates: CandidateService,
  ) {}

  async create(dto: CreatePrivacyRequestDto, principal: Principal): Promise<PrivacyRequestView> {
    const now = this.clock.now();
    const receivedAt = dto.receivedAt ? dayOrInstant(dto.receivedAt, this.config.DEFAULT_TIME_ZONE, 'start') : now;
    if (receivedAt > now) throw DomainError.field('receivedAt', 'receivedAt cannot be in the future');
    const id = await this.dataSource.transaction(async (manager) => {
      if (dto.candidateId) {
        // Locked, not only read: two requests recorded at once for one person take turns, so the second sees the first.
        await this.candidates.lock(manager, dto.candidateId);
        const [open]: { id: string }[] = await manager.query(
          `SELECT id FROM privacy_request WHERE candidate_id = $1 AND kind = $2 AND status IN ('open', 'in_progress') ORDER BY received_at LIMIT 1`,
          [dto.candidateId, dto.kind],
        );
        if (open) {
          throw new DomainError('PrivacyRequestExists', `The person already has an open ${dto.kind} request (${open.id}); add to its notes instead.`, {
            existingId: open.id,
          });
        }
      }
      const [row] = await manager.query(
        `INSERT INTO privacy_request (candidate_id, kind, received_at, due_at, notes, created_by_key_id, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id`,
        [dto.candidateId ?? null, dto.kind, receivedAt, privacyRequestDueAt(receivedAt, this.config.DEFAULT_TIME_ZONE),
          dto.notes ?? null, principal.keyId, now],
      );
      await this.audit.record({
        action: 'privacy_request_created', candidateId: dto.candidateId ?? null, details: { privacyRequestId: row.id, kind: dto.kind },
      }, manager);
      return row.id as string;
    });
    return this.get(id);
  }

  async get(id: string): Promise<PrivacyRequestView> {
    const [row]: Row[] = await this.dataSource.query(`SELECT * FROM privacy_request WHERE id = $1`, [id]);
    if (!row) throw notFound(id);
    return this.view(row, this.clock.now());
  }

  /** Most urgent first (earliest deadline). */
  async list(query: ListPrivacyRequestsQuery): Promise<Page<PrivacyRequestView>> {
    const limit = query.limit ?? DEFAULT_PAGE_LIMIT;
    const now = this.clock.now();
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    const where: string[] = [];
    if (query.status) where.push(`status = ${param(query.status)}`);
    if (query.kind) where.push(`kind = ${param(query.kind)}`);
    if (query.candidateId) where.push(`candidate_id = ${param(query.candidateId)}`);
    if (query.overdue === 'true') where.push(`status IN ('open', 'in_progress') AND due_at <= ${param(now)}`);
    if (query.overdue === 'false') where.push(`NOT (status IN ('open', 'in_progress') AND due_at <= ${param(now)})`);
    if (query.cursor) {
      const [dueAt, id] = decodeCursor(query.cursor, PRIVACY_REQUEST_CURSOR);
      where.push(`(due_at, id) > (${param(dueAt)}::timestamptz, ${param(id)}::uuid)`);
    }
    const rows: Row[] = await this.dataSource.query(
      `SELECT * FROM privacy_request ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY due_at, id LIMIT ${param(limit + 1)}`,
      params,
    );
    const page = toPage(rows, limit, PRIVACY_REQUEST_CURSOR, (last) => [last.due_at.toISOString(), last.id]);
    return { items: page.items.map((row) => this.view(row, now)), nextCursor: page.nextCursor };
  }

  /** Status changes record who handled the request; done and rejected are final. */
  async update(id: string, dto: UpdatePrivacyRequestDto, principal: Principal): Promise<PrivacyRequestView> {
    if (dto.status === undefined && dto.notes === undefined) throw DomainError.field('status', 'give a status or notes to change');
    const now = this.clock.now();
    await this.dataSource.transaction(async (manager) => {
      const [row]: Row[] = await manager.query(`SELECT * FROM privacy_request WHERE id = $1 FOR UPDATE`, [id]);
      if (!row) throw notFound(id);
      if (!OPEN.includes(row.status)) {
        throw new DomainError('PrivacyRequestClosed', `The request is already ${row.status}; it cannot change any more.`, { requestStatus: row.status });
      }
      const status = dto.status ?? row.status;
      // The register would say the person was erased while they are still here; erasing them closes it as done.
      if (row.kind === 'erasure' && status === 'done' && row.candidate_id !== null) {
        throw new DomainError(
          'ErasureNotDone',
          `Erase the person first (DELETE /api/v1/candidates/${row.candidate_id}); that marks this request done.`,
          { candidateId: row.candidate_id },
        );
      }
      const changed = status !== row.status;
      await manager.query(
        `UPDATE privacy_request SET status = $2, notes = coalesce($3, notes), updated_at = $4,
                handled_by_key_id = CASE WHEN $5 THEN $6::uuid ELSE handled_by_key_id END,
                handled_at = CASE WHEN $2 IN ('done', 'rejected') THEN $4::timestamptz END
         WHERE id = $1`,
        [id, status, dto.notes ?? null, now, changed, principal.keyId],
      );
      await this.audit.record({
        action: 'privacy_request_updated',
        candidateId: row.candidate_id,
        details: { privacyRequestId: id, from: row.status, status, notesChanged: dto.notes !== undefined },
      }, manager);
    });
    return this.get(id);
  }

  /** Open requests past their deadline, most overdue first: for the recruiter digest. */
  async overdue(now: Date = this.clock.now(), manager: EntityManager = this.dataSource.manager): Promise<OverduePrivacyRequest[]> {
    const rows: Row[] = await manager.query(
      `SELECT * FROM privacy_request WHERE status IN ('open', 'in_progress') AND due_at <= $1 ORDER BY due_at, id`,
      [now],
    );
    return rows.map((row) => {
      const { id, candidateId, kind, status, receivedAt, dueOn, daysOverdue } = this.view(row, now);
      return { id, candidateId, kind, status, receivedAt, dueOn, daysOverdue };
    });
  }

  private view(row: Row, now: Date): PrivacyRequestView {
    const zone = this.config.DEFAULT_TIME_ZONE;
    const open = OPEN.includes(row.status);
    return {
      id: row.id,
      candidateId: row.candidate_id,
      kind: row.kind,
      status: row.status,
      receivedAt: row.received_at.toISOString(),
      dueOn: lastDayOf(row.due_at, zone),
      dueAt: row.due_at.toISOString(),
      overdue: open && row.due_at <= now,
      daysOverdue: open ? daysOverdue(row.due_at, now, zone) : 0,
      notes: row.notes,
      createdByKeyId: row.created_by_key_id,
      handledByKeyId: row.handled_by_key_id,
      handledAt: row.handled_at?.toISOString() ?? null,
      createdAt: row.created_at.toISOString(),
      updatedAt: row.updated_at.toISOString(),
    };
  }
}

function notFound(id: string): DomainError {
  return new DomainError('PrivacyRequestNotFound', `No privacy request with id ${id}.`);
}
