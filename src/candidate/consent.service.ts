import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DateTime } from 'luxon';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig, CONSENT_VALIDITY_MAX_MONTHS } from '../config/app-config';
import { Principal } from '../common/auth/roles';
import { DomainError } from '../common/errors/domain-error';
import { Clock } from '../common/time/clock';
import { dayOrInstant } from '../common/time/day-or-instant';
import { AuditLog } from '../privacy/audit/audit-log.service';
import { TimelineService } from '../timeline/timeline.service';
import { CandidateService } from './candidate.service';
import { Consent, ConsentScope, ConsentSource } from './consent.entity';
import { RecordConsentDto } from './dto/consent.dto';
import { OutboxService } from '../email/outbox.service';

/** Two submits of the same consent page this close together are one answer. */
const DOUBLE_SUBMIT_MS = 60_000;

/** Consent as evidence: records are added and withdrawn, never edited. */
@Injectable()
export class ConsentService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly candidates: CandidateService,
    private readonly timeline: TimelineService,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly outbox: OutboxService,
  ) {}

  async record(candidateId: string, dto: RecordConsentDto, principal: Principal): Promise<Consent> {
    return this.save(candidateId, dto, principal.keyId);
  }

  /**
   * Consent the candidate gave themselves through a signed link (consent request, renewal): source
   * `email_link`, recorded by no API key, from now. A second submit of the same page (a double click,
   * two tabs) records nothing new: it finds the consent the first one recorded, under the same lock.
   * `onlyIfNotValid` (the first-time consent page): a pool consent valid now is kept as it is.
   */
  async recordFromLink(candidateId: string, textVersion: string, { onlyIfNotValid = false } = {}): Promise<Consent> {
    return this.save(candidateId, { scope: 'talent_pool', textVersion, source: 'email_link' }, null, async (manager, now) => {
      const consents = manager.getRepository(Consent);
      const current = await consents.createQueryBuilder('consent')
        .where('consent.candidateId = :candidateId AND consent.scope = :scope AND consent.withdrawnAt IS NULL AND consent.expiresAt > :now',
          { candidateId, scope: 'talent_pool', now })
        .orderBy('consent.grantedAt', 'DESC').addOrderBy('consent.id', 'DESC')
        .getOne();
      if (!current) return null;
      const sameSubmit = current.source === 'email_link' && current.textVersion === textVersion
        && now.getTime() - current.grantedAt.getTime() < DOUBLE_SUBMIT_MS;
      return onlyIfNotValid || sameSubmit ? current : null;
    });
  }

  /** `alreadyGiven`: run under the candidate lock; a consent it returns is the answer, and nothing is recorded. */
  private async save(
    candidateId: string,
    dto: Omit<RecordConsentDto, 'source'> & { source: ConsentSource },
    recordedByKeyId: string | null,
    alreadyGiven?: (manager: EntityManager, now: Date) => Promise<Consent | null>,
  ): Promise<Consent> {
    const now = this.clock.now();
    const zone = this.config.DEFAULT_TIME_ZONE;
    // A bare date is a day in the organisation's zone: given at its start, valid to its end.
    const grantedAt = dto.grantedAt ? dayOrInstant(dto.grantedAt, zone, 'start') : now;
    if (grantedAt > now) throw DomainError.field('grantedAt', 'grantedAt cannot be in the future');
    const expiresAt = dto.expiresAt
      ? dayOrInstant(dto.expiresAt, zone, 'end')
      : DateTime.fromJSDate(grantedAt, { zone }).plus({ months: this.config.CONSENT_VALIDITY_MONTHS }).toJSDate();
    if (expiresAt <= grantedAt) throw DomainError.field('expiresAt', 'expiresAt must be after grantedAt');
    // A typo such as 2206 for 2026 would keep the person, and their data, for 180 years.
    // To the end of that day (the next one's start), as an expiresAt given as a date is read (dayOrInstant).
    const cap = DateTime.fromJSDate(grantedAt, { zone }).plus({ months: CONSENT_VALIDITY_MAX_MONTHS, days: 1 }).startOf('day');
    if (expiresAt > cap.toJSDate()) {
      throw DomainError.field('expiresAt', `expiresAt must be at most ${CONSENT_VALIDITY_MAX_MONTHS / 12} years after grantedAt`);
    }
    return this.dataSource.transaction(async (manager) => {
      await this.candidates.lock(manager, candidateId);
      const given = await alreadyGiven?.(manager, now);
      if (given) return given;
      // What is on file: the last withdrawal (evidence back-dated before it cannot undo it, as the candidate
      // state follows the latest grant), and whether a pool consent is held now (a new record renews it).
      const [{ withdrawn, renews }]: { withdrawn: Date | null; renews: boolean }[] = await manager.query(
        `SELECT greatest((SELECT max(withdrawn_at) FROM consent WHERE candidate_id = c.id AND scope = $2), c.consent_withdrawn_at) AS withdrawn,
                c.consent_expires_at IS NOT NULL AND c.consent_withdrawn_at IS NULL AS renews
         FROM candidate c WHERE c.id = $1`,
        [candidateId, dto.scope],
      );
      if (withdrawn && grantedAt < withdrawn) {
        throw DomainError.field(
          'grantedAt',
          `grantedAt is before this consent scope was withdrawn (${withdrawn.toISOString()}); record consent given after the withdrawal`,
        );
      }
      const consent = await manager.getRepository(Consent).save(
        manager.getRepository(Consent).create({
          candidateId,
          scope: dto.scope,
          textVersion: dto.textVersion,
          source: dto.source,
          recordedByKeyId,
          grantedAt,
          expiresAt,
          withdrawnAt: null,
        }),
      );
      await this.refreshCandidateState(manager, candidateId);
      await this.timeline.record(manager, candidateId, 'consent_granted', {
        consentId: consent.id, scope: consent.scope, source: consent.source, textVersion: consent.textVersion,
        expiresAt: consent.expiresAt.toISOString(),
      }, { occurredAt: now, actorKeyId: recordedByKeyId });
      await this.audit.record({
        action: dto.scope === 'talent_pool' && renews ? 'consent_renewed' : 'consent_granted',
        candidateId,
        details: {
          consentId: consent.id, scope: consent.scope, source: consent.source, textVersion: consent.textVersion,
          grantedAt: consent.grantedAt.toISOString(), expiresAt: consent.expiresAt.toISOString(),
        },
      }, manager);
      return consent;
    });
  }

  /** Withdraws every current consent of the scope at once; the records stay as evidence. */
  async withdraw(candidateId: string, scope: ConsentScope, via: string, actorKeyId: string | null = null): Promise<Consent[]> {
    const now = this.clock.now();
    return this.dataSource.transaction(async (manager) => {
      await this.candidates.lock(manager, candidateId);
      await manager.query(
        `UPDATE consent SET withdrawn_at = $3
         WHERE candidate_id = $1 AND scope = $2 AND withdrawn_at IS NULL AND granted_at <= $3`,
        [candidateId, scope, now],
      );
      await this.refreshCandidateState(manager, candidateId);
      // With no pool consent on file ("remove me" from an applicant's email), the wish is kept on the
      // candidate: their state reads withdrawn, and the lifecycle job erases them after the grace period.
      await manager.query(
        `UPDATE candidate SET consent_withdrawn_at = $2 WHERE id = $1 AND consent_expires_at IS NULL AND consent_withdrawn_at IS NULL`,
        [candidateId, now],
      );
      // A renewal or consent request still waiting for its send window asks something already answered, and
      // nurture mail (check-ins, invitations to roles) is what the consent was for: withdrawal takes effect at once,
      // whoever records it (the person's own page, a renewal link, a recruiter).
      await this.outbox.cancelPending(
        [candidateId], 'talent-pool consent withdrawn', { templateKeys: ['consent_renewal', 'consent_request'], orNurture: true }, manager,
      );
      await this.timeline.record(manager, candidateId, 'consent_withdrawn', { scope, via }, { occurredAt: now, actorKeyId });
      await this.audit.record({ action: 'consent_withdrawn', candidateId, details: { scope, via } }, manager);
      return manager.getRepository(Consent).find({ where: { candidateId, scope }, order: { grantedAt: 'DESC' } });
    });
  }

  async list(candidateId: string): Promise<Consent[]> {
    await this.candidates.get(candidateId);
    return this.dataSource.getRepository(Consent).find({ where: { candidateId }, order: { grantedAt: 'DESC', createdAt: 'DESC' } });
  }

  /** The candidate row mirrors the latest talent-pool consent, so pool filters stay simple. */
  private async refreshCandidateState(manager: EntityManager, candidateId: string): Promise<void> {
    await manager.query(
      `UPDATE candidate c SET consent_expires_at = latest.expires_at, consent_withdrawn_at = latest.withdrawn_at
       FROM (SELECT expires_at, withdrawn_at FROM consent
             WHERE candidate_id = $1 AND scope = 'talent_pool'
             ORDER BY granted_at DESC, created_at DESC LIMIT 1) latest
       WHERE c.id = $1`,
      [candidateId],
    );
  }
}
