import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { dayOrInstant } from '../../common/time/day-or-instant';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError } from '../../common/errors/domain-error';
import { cursorFormat, decodeCursor, DEFAULT_PAGE_LIMIT, Page, toPage } from '../../common/pagination/page';
import { Clock } from '../../common/time/clock';
import { AppConfig } from '../../config/app-config';
import { AuditAction, AuditDetails } from './audit-actions';
import { ListAuditQuery } from './dto/list-audit.query';
import { Actor, ActorRole, currentActor } from './request-context';

const AUDIT_CURSOR = cursorFormat('audit', 'timestamp', 'bigint');

export interface AuditEntry {
  action: AuditAction;
  candidateId?: string | null;
  /** Ids, field names, reasons, counts: never personal data. */
  details?: AuditDetails;
  /** The current request's actor (or the system) when left out. */
  actor?: Actor;
}

export interface AuditEntryView {
  id: string;
  at: string;
  actor: { keyId: string | null; role: ActorRole };
  action: AuditAction;
  candidateId: string | null;
  requestId: string | null;
  details: AuditDetails;
}

interface AuditRow {
  id: string;
  at: Date;
  actor_key_id: string | null;
  actor_role: ActorRole;
  action: AuditAction;
  candidate_id: string | null;
  request_id: string | null;
  details: AuditDetails;
}


/**
 * The append-only trail of who read, exported, changed or erased a
 * candidate and of every consent event. The database refuses UPDATE,
 * DELETE and TRUNCATE on the table (see the Privacy migration). Entries
 * are written in the caller's transaction, so an action and its entry
 * commit or fail together.
 */
@Injectable()
export class AuditLog {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  async record(entry: AuditEntry, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await this.recordMany([entry], manager);
  }

  /** One statement for any number of entries (a job's batch). */
  async recordMany(entries: AuditEntry[], manager: EntityManager = this.dataSource.manager): Promise<void> {
    if (entries.length === 0) return;
    const fallback = currentActor();
    const rows = entries.map((entry) => {
      const actor = entry.actor ?? fallback;
      return {
        actor_key_id: actor.keyId,
        actor_role: actor.role,
        action: entry.action,
        candidate_id: entry.candidateId ?? null,
        request_id: actor.requestId,
        details: entry.details ?? {},
      };
    });
    await manager.query(
      `INSERT INTO audit_log (at, actor_key_id, actor_role, action, candidate_id, request_id, details)
       SELECT $2, r.actor_key_id, r.actor_role, r.action, r.candidate_id, r.request_id, r.details
       FROM jsonb_to_recordset($1::jsonb) AS r(
         actor_key_id uuid, actor_role text, action text, candidate_id uuid, request_id text, details jsonb)`,
      [JSON.stringify(rows), this.clock.now()],
    );
  }

  /** Newest first. */
  async list(query: ListAuditQuery): Promise<Page<AuditEntryView>> {
    const limit = query.limit ?? DEFAULT_PAGE_LIMIT;
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    const where: string[] = [];
    if (query.candidateId) where.push(`candidate_id = ${param(query.candidateId)}`);
    if (query.actor === 'system' || query.actor === 'candidate') where.push(`actor_role = ${param(query.actor)}`);
    else if (query.actor) where.push(`actor_key_id = ${param(query.actor.toLowerCase())}`);
    if (query.action) where.push(`action = ${param(query.action)}`);
    const from = query.from ? dayOrInstant(query.from, this.config.DEFAULT_TIME_ZONE, 'start') : undefined;
    const to = query.to ? dayOrInstant(query.to, this.config.DEFAULT_TIME_ZONE, 'end') : undefined;
    if (from && to && from >= to) throw DomainError.field('from', 'from must be before to');
    if (from) where.push(`at >= ${param(from)}`);
    if (to) where.push(`at < ${param(to)}`);
    if (query.cursor) {
      const [at, id] = decodeCursor(query.cursor, AUDIT_CURSOR);
      where.push(`(at, id) < (${param(at)}::timestamptz, ${param(id)}::bigint)`);
    }
    const rows: AuditRow[] = await this.dataSource.query(
      `SELECT id::text AS id, at, actor_key_id, actor_role, action, candidate_id, request_id, details FROM audit_log
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY at DESC, id DESC LIMIT ${param(limit + 1)}`,
      params,
    );
    const page = toPage(rows, limit, AUDIT_CURSOR, (last) => [last.at.toISOString(), Number(last.id)]);
    return { items: page.items.map(toView), nextCursor: page.nextCursor };
  }
}

function toView(row: AuditRow): AuditEntryView {
  return {
    id: row.id,
    at: row.at.toISOString(),
    actor: { keyId: row.actor_key_id, role: row.actor_role },
    action: row.action,
    candidateId: row.candidate_id,
    requestId: row.request_id,
    details: row.details,
  };
}
