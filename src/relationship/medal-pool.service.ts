import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DateTime } from 'luxon';
import { DataSource, EntityManager } from 'typeorm';
import { candidateFilterSql, paramCollector } from '../candidate/candidate-filter';
import { CandidateService } from '../candidate/candidate.service';
import { PublicUrls } from '../common/http/public-urls';
import { Signer } from '../common/secrets/signer';
import { Clock } from '../common/time/clock';
import { AppConfig } from '../config/app-config';
import { OutboxService } from '../email/outbox.service';
import { CampaignEnrolment } from './campaign-enrolment';
import { RelationshipSettings } from './relationship-settings.service';

export type PoolStatus = 'pending' | 'enrolled' | 'no_campaign' | 'consent_requested' | 'not_asked' | 'not_eligible';

/** How long the link in a consent request works. */
const CONSENT_LINK_DAYS = 30;
/** A pending enrolment older than this was interrupted (it normally takes milliseconds). */
const STALE_AFTER_MS = 10 * 60_000;
const STALE_BATCH = 200;

/**
 * Medalists joining the pool. Consent decides everything: with valid
 * consent they are enrolled in the silver-medalist nurture campaign (when
 * one is configured); without it they are asked, once, by email; someone
 * who withdrew consent or opted out is not asked again. Nobody is enrolled
 * without consent: the campaign module checks it again when enrolling.
 */
@Injectable()
export class MedalPool {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly candidates: CandidateService,
    private readonly settings: RelationshipSettings,
    private readonly outbox: OutboxService,
    private readonly enrolment: CampaignEnrolment,
    private readonly signer: Signer,
    private readonly urls: PublicUrls,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /** Inside the transaction that awards the medals: decides each medalist's way in and queues consent requests. */
  async prepare(manager: EntityManager, medalists: { candidacyId: string; candidateId: string }[], now: Date): Promise<void> {
    if (medalists.length === 0) return;
    const { campaignId } = await this.settings.silverMedalistCampaign(manager);
    const decided: { candidacy_id: string; pool_status: PoolStatus; pool_campaign_id: string | null }[] = [];
    for (const { candidacyId, candidateId } of medalists) {
      const candidate = await this.candidates.get(candidateId, manager);
      let status: PoolStatus;
      if (candidate.status !== 'active' || candidate.consent.state === 'withdrawn') status = 'not_asked';
      else if (candidate.consent.state === 'valid') status = campaignId ? 'pending' : 'no_campaign';
      else {
        await this.outbox.enqueueForCandidates([{
          candidateId,
          templateKey: 'consent_request',
          category: 'transactional',
          idempotencyKey: `medal:${candidacyId}:consent-request`,
          // No vacancyId: it asks about the talent pool, not the role, signed by the recruiting team, and a
          // reply to it (a question about their data, "please don't") is for whoever reads MAIL_REPLY_TO.
          data: { links: { consent: this.consentLink(candidateId, now) }, expiresOn: this.consentExpiry(now) },
        }], manager);
        status = 'consent_requested';
      }
      decided.push({ candidacy_id: candidacyId, pool_status: status, pool_campaign_id: status === 'pending' ? campaignId : null });
    }
    await manager.query(
      `UPDATE medal m SET pool_status = r.pool_status, pool_campaign_id = r.pool_campaign_id, pool_updated_at = $2
       FROM jsonb_to_recordset($1::jsonb) AS r(candidacy_id uuid, pool_status text, pool_campaign_id uuid)
       WHERE m.candidacy_id = r.candidacy_id`,
      [JSON.stringify(decided), now],
    );
  }

  /**
   * After the medals are committed: enrols the medalists waiting to be.
   * Enrolment is the campaign module's own transaction; a medal left
   * `pending` by a crash in between is retried by enrolStale. Enrolling
   * twice is harmless (the campaign answers "already enrolled").
   */
  async enrolPending(
    scope: { vacancyId: string } | { candidateId: string } | { candidacyIds: string[] } | { pendingSince: Date },
  ): Promise<number> {
    const [condition, value] =
      'vacancyId' in scope ? ['vacancy_id = $1', scope.vacancyId]
      : 'candidateId' in scope ? ['candidate_id = $1', scope.candidateId]
      : 'candidacyIds' in scope ? ['candidacy_id = ANY($1::uuid[])', scope.candidacyIds]
      : ['pool_updated_at < $1', scope.pendingSince];
    const waiting: { candidacy_id: string; candidate_id: string; pool_campaign_id: string }[] = await this.dataSource.query(
      `SELECT candidacy_id, candidate_id, pool_campaign_id FROM medal WHERE ${condition} AND pool_status = 'pending'
       ORDER BY pool_updated_at LIMIT ${STALE_BATCH}`,
      [value],
    );
    for (const medal of waiting) {
      const result = await this.enrolment.enrol(medal.pool_campaign_id, medal.candidate_id);
      await this.dataSource.query(
        `UPDATE medal SET pool_status = $2, pool_updated_at = $3 WHERE candidacy_id = $1 AND pool_status = 'pending'`,
        [medal.candidacy_id, result, this.clock.now()],
      );
    }
    return waiting.length;
  }

  /**
   * The scheduler's round: medalists asked for consent who have since given
   * it another way (a recruiter recorded it) stop waiting for the link and
   * are enrolled; medals still `pending` minutes after they were awarded or
   * consented had their enrolment interrupted, and are retried.
   */
  async sweep(): Promise<number> {
    const now = this.clock.now();
    const { campaignId } = await this.settings.silverMedalistCampaign();
    const { params, param } = paramCollector([campaignId ? 'pending' : 'no_campaign', campaignId, now]);
    const consented = candidateFilterSql({ consentValidAt: now, status: 'active' }, param, 'c');
    const [moved]: [{ candidacy_id: string }[], number] = await this.dataSource.query(
      `UPDATE medal m SET pool_status = $1, pool_campaign_id = $2, pool_updated_at = $3
       FROM candidate c
       WHERE c.id = m.candidate_id AND m.pool_status = 'consent_requested' AND ${consented.join(' AND ')}
       RETURNING m.candidacy_id`,
      params,
    );
    const enrolledNow = campaignId && moved.length > 0 ? await this.enrolPending({ candidacyIds: moved.map((row) => row.candidacy_id) }) : 0;
    return enrolledNow + (await this.enrolPending({ pendingSince: new Date(now.getTime() - STALE_AFTER_MS) }));
  }

  /** Consent arrived through the link: the medals that waited for it join the nurture campaign. */
  async consentGiven(candidateId: string): Promise<void> {
    const { campaignId } = await this.settings.silverMedalistCampaign();
    await this.dataSource.query(
      `UPDATE medal SET pool_status = $2, pool_campaign_id = $3, pool_updated_at = $4
       WHERE candidate_id = $1 AND pool_status = 'consent_requested'`,
      [candidateId, campaignId ? 'pending' : 'no_campaign', campaignId, this.clock.now()],
    );
    await this.enrolPending({ candidateId });
  }

  consentLink(candidateId: string, now: Date): string {
    const expiresAt = Math.floor(now.getTime() / 1000) + CONSENT_LINK_DAYS * 86_400;
    return this.urls.absolute(`/c/${this.signer.sign({ purpose: 'consent_request', candidateId, expiresAt })}`);
  }

  /** The date consent given now would last until, as the email tells it. */
  private consentExpiry(now: Date): string {
    return DateTime.fromJSDate(now, { zone: this.config.DEFAULT_TIME_ZONE }).plus({ months: this.config.CONSENT_VALIDITY_MONTHS }).toISODate()!;
  }
}
