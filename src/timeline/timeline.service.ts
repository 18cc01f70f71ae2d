import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import { cursorFormat, decodeCursor, Page, toPage } from '../common/pagination/page';
import { Clock } from '../common/time/clock';
import { TimelineItemType, TouchpointPayloads, TouchpointType } from './touchpoint-types';

const TIMELINE_CURSOR = cursorFormat('timeline', 'timestamp', 'uuid');

export interface TimelineItem {
  id: string;
  type: TimelineItemType;
  occurredAt: string;
  payload: Record<string, unknown>;
  actorKeyId: string | null;
}

/**
 * Everything between us and one person, newest first. Events are rows of
 * `touchpoint` written by the module where they happen, in the same
 * transaction. Emails are the exception: the outbox row already is the
 * record (with its current status), so the timeline reads it from there
 * instead of copying every status change — the sending hot path stays a
 * single-table write and the two can never disagree.
 */
@Injectable()
export class TimelineService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  async record<T extends TouchpointType>(
    manager: EntityManager,
    candidateId: string,
    type: T,
    payload: TouchpointPayloads[T],
    options: { occurredAt?: Date; actorKeyId?: string | null } = {},
  ): Promise<void> {
    await manager.query(
      `INSERT INTO touchpoint (candidate_id, type, occurred_at, payload, actor_key_id) VALUES ($1, $2, $3, $4, $5)`,
      [candidateId, type, options.occurredAt ?? this.clock.now(), JSON.stringify(payload), options.actorKeyId ?? null],
    );
  }

  /** Many entries in one statement (e.g. every candidacy a vacancy's closing decided). */
  async recordMany<T extends TouchpointType>(
    manager: EntityManager,
    type: T,
    entries: { candidateId: string; payload: TouchpointPayloads[T] }[],
    options: { occurredAt?: Date; actorKeyId?: string | null } = {},
  ): Promise<void> {
    if (entries.length === 0) return;
    await manager.query(
      `INSERT INTO touchpoint (candidate_id, type, occurred_at, payload, actor_key_id)
       SELECT e.candidate_id, $2, $3, e.payload, $4 FROM jsonb_to_recordset($1::jsonb) AS e(candidate_id uuid, payload jsonb)`,
      [
        JSON.stringify(entries.map((entry) => ({ candidate_id: entry.candidateId, payload: entry.payload }))),
        type,
        options.occurredAt ?? this.clock.now(),
        options.actorKeyId ?? null,
      ],
    );
  }

  async list(candidateId: string, limit: number, cursor?: string): Promise<Page<TimelineItem>> {
    const [exists] = await this.dataSource.query(`SELECT 1 FROM candidate WHERE id = $1`, [candidateId]);
    if (!exists) throw new DomainError('CandidateNotFound', `No candidate with id ${candidateId}.`);
    const [before, beforeId] = cursor ? decodeCursor(cursor, TIMELINE_CURSOR) : [null, null];
    const rows: (TimelineItem & { occurredKey: string })[] = await this.dataSource.query(
      `SELECT * FROM (
         SELECT t.id, t.type, t.occurred_at, t.payload, t.actor_key_id
         FROM touchpoint t WHERE t.candidate_id = $1
         UNION ALL
         SELECT e.id, 'email', e.created_at,
                jsonb_build_object('emailId', e.id, 'templateKey', e.template_key, 'category', e.category,
                                   'subject', e.subject, 'status', e.status, 'sentAt', e.sent_at,
                                   'lastError', e.last_error, 'campaignId', e.campaign_id),
                NULL
         FROM email e WHERE e.candidate_id = $1
       ) items
       WHERE $2::timestamptz IS NULL OR (occurred_at, id) < ($2::timestamptz, $3::uuid)
       ORDER BY occurred_at DESC, id DESC LIMIT $4`,
      [candidateId, before, beforeId, limit + 1],
    ).then((raw: { id: string; type: TimelineItemType; occurred_at: Date; payload: Record<string, unknown>; actor_key_id: string | null }[]) =>
      raw.map((row) => ({
        id: row.id,
        type: row.type,
        occurredAt: row.occurred_at.toISOString(),
        payload: row.payload,
        actorKeyId: row.actor_key_id,
        occurredKey: row.occurred_at.toISOString(),
      })),
    );
    const page = toPage(rows, limit, TIMELINE_CURSOR, (last) => [last.occurredKey, last.id]);
    return { items: page.items.map(({ occurredKey: _key, ...item }) => item), nextCursor: page.nextCursor };
  }
}
