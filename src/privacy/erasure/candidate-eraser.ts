import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError } from '../../common/errors/domain-error';
import { Clock } from '../../common/time/clock';
import { SuppressionService } from '../../email/suppression.service';
import { AuditLog } from '../audit/audit-log.service';
import { Actor, currentActor } from '../audit/request-context';
import { anonymiseCountedRows } from './anonymous-figures';
import { IdentifyingValues, identifyingValuesOf, mentionPatterns, redactedSql } from './staff-mentions';

/** Why a person was erased: they (or someone for them) asked, their pool consent ended, or retention ran out. */
export type ErasureReason = 'request' | 'consent_ended' | 'retention';

/**
 * For automatic erasure: the condition (over `candidate c`, with the
 * cutoff bound as $2) that made the person due, checked again under the
 * row lock, so someone who renewed consent or entered a process since
 * they were selected is left alone (both take the same lock).
 */
export interface StillDue {
  where: string;
  cutoff: Date;
}

/**
 * Erasure (GDPR art. 17): everything about the people goes, in one
 * transaction, from every table. Most of it by the foreign keys' cascade
 * when the candidate row is deleted; before that, the rows that aggregate
 * statistics count are made anonymous (anonymous-figures.ts), staff emails
 * that mention them are redacted, their open erasure requests are closed
 * and their address is suppressed as a keyed hash so they are never
 * mailed again. What remains: that hash and an audit entry per person
 * with no personal data.
 */
@Injectable()
export class CandidateEraser {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly suppression: SuppressionService,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  /** DELETE /api/v1/candidates/:id. */
  async eraseOne(candidateId: string): Promise<void> {
    if ((await this.erase([candidateId], 'request')) === 0) {
      throw new DomainError('CandidateNotFound', `No candidate with id ${candidateId}.`);
    }
  }

  /** Set-based for a job's batch; ids that no longer exist are skipped. Returns how many were erased. */
  async erase(candidateIds: string[], reason: ErasureReason, stillDue?: StillDue): Promise<number> {
    if (candidateIds.length === 0) return 0;
    const now = this.clock.now();
    const actor = currentActor();
    return this.dataSource.transaction(async (manager) => {
      // Their candidacies before them, in the order a decision, feedback or a vacancy's close takes the two
      // (candidacy, then the person through the timeline's foreign key): the other way round, an erasure and a
      // decision on the same person each held what the other needed next, and one was aborted as a deadlock.
      await manager.query(`SELECT 1 FROM candidacy WHERE candidate_id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`, [candidateIds]);
      await manager.query(`SELECT 1 FROM candidate WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`, [candidateIds]);
      const people: { id: string }[] = await manager.query(
        `SELECT c.id FROM candidate c
         WHERE c.id = ANY($1::uuid[]) ${stillDue ? `AND (${stillDue.where})` : ''} ORDER BY c.id`,
        stillDue ? [candidateIds, stillDue.cutoff] : [candidateIds],
      );
      if (people.length === 0) return 0;
      const ids = people.map((person) => person.id);
      await anonymiseCountedRows(manager, ids, now);
      const closed = await this.closeErasureRequests(manager, ids, now, actor);
      const identities = await identifyingValuesOf((sql, params) => manager.query(sql, params), ids);
      await this.redactMentions(manager, identities, now);
      // A former address too: an old spreadsheet that still has it must not bring them back (the import refuses
      // suppressed-as-erased addresses), nor may it be mailed. One someone else holds now is theirs: left out
      // of both, by the one decision identifyingValuesOf makes.
      await this.suppression.suppressMany(identities.map((identity) => identity.email).filter(Boolean), 'erased', manager);
      await manager.query(`DELETE FROM candidate WHERE id = ANY($1::uuid[])`, [ids]);
      await this.audit.recordMany([
        ...closed.map((request) => ({
          action: 'privacy_request_updated' as const,
          candidateId: request.candidate_id,
          details: { privacyRequestId: request.id, status: 'done', via: 'erasure' },
          actor,
        })),
        ...ids.map((id) => ({
          action: 'candidate_erased' as const,
          candidateId: id,
          details: { reason, privacyRequestsClosed: closed.filter((request) => request.candidate_id === id).map((request) => request.id) },
          actor,
        })),
      ], manager);
      return ids.length;
    });
  }

  /**
   * The person's requests stay as evidence that they were served, without
   * notes (which may name them); an open erasure request is now done.
   */
  private async closeErasureRequests(
    manager: EntityManager, ids: string[], now: Date, actor: Actor,
  ): Promise<{ id: string; candidate_id: string }[]> {
    const [rows]: [{ id: string; candidate_id: string; closes: boolean }[], number] = await manager.query(
      `WITH mine AS (
         SELECT id, candidate_id, kind = 'erasure' AND status IN ('open', 'in_progress') AS closes
         FROM privacy_request WHERE candidate_id = ANY($1::uuid[]) FOR UPDATE
       )
       UPDATE privacy_request p SET notes = NULL, updated_at = $2,
              status = CASE WHEN mine.closes THEN 'done' ELSE p.status END,
              handled_at = CASE WHEN mine.closes THEN $2 ELSE p.handled_at END,
              handled_by_key_id = CASE WHEN mine.closes THEN $3::uuid ELSE p.handled_by_key_id END
       FROM mine WHERE p.id = mine.id
       RETURNING p.id, mine.candidate_id, mine.closes`,
      [ids, now, actor.keyId],
    );
    return rows.filter((row) => row.closes).map(({ id, candidate_id }) => ({ id, candidate_id }));
  }

  /**
   * Staff emails (e.g. the feedback digest) name candidates in their text
   * and have no candidate reference to cascade from, nor do the notes of a
   * privacy request logged without one (a request by phone, say): the
   * person's name, email and phone, and those they had before a
   * correction, are replaced wherever they appear.
   */
  private async redactMentions(manager: EntityManager, identities: IdentifyingValues[], now: Date): Promise<void> {
    const patterns = mentionPatterns(identities);
    if (patterns.length === 0) return;
    await manager.query(
      `UPDATE privacy_request SET notes = ${redactedSql('notes', '$1', patterns)}, updated_at = $2
       WHERE candidate_id IS NULL AND notes ~* ANY($1::text[])`,
      [patterns, now],
    );
    await manager.query(
      `UPDATE email SET subject = ${redactedSql('subject', '$1', patterns)},
              html_body = ${redactedSql('html_body', '$1', patterns)},
              text_body = ${redactedSql('text_body', '$1', patterns)},
              updated_at = $2
       WHERE category = 'staff' AND (subject ~* ANY($1::text[]) OR html_body ~* ANY($1::text[]) OR text_body ~* ANY($1::text[]))`,
      [patterns, now],
    );
  }
}
