import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { notFound as candidateNotFound } from '../candidate/candidate.service';
import { DomainError } from '../common/errors/domain-error';
import { cursorFormat, decodeCursor, DEFAULT_PAGE_LIMIT, Page, toPage } from '../common/pagination/page';
import { Clock } from '../common/time/clock';
import { blockReason, RecipientState } from '../email/email-gate';
import { addressKey, SuppressionService } from '../email/suppression.service';
import { campaignNotFound } from './campaign.service';
import { ListEnrollmentsQuery } from './dto/enrollment.dto';
import { Enrollment } from './enrollment.entity';
import { firstDelaySql, localPlusSql } from './step-delay';

const ENROLLMENT_CURSOR = cursorFormat('enrollments', 'timestamp', 'uuid');

/** Enrolling people by hand, and listing who is in a campaign. */
@Injectable()
export class EnrollmentService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly suppression: SuppressionService,
    private readonly clock: Clock,
  ) {}

  /**
   * Enrols one candidate, whatever the audience says, if they may get
   * nurture mail now. Draft and paused campaigns accept enrollments; the
   * first step goes out once the campaign is active and its delay has passed.
   */
  async enrol(campaignId: string, candidateId: string): Promise<Enrollment> {
    const now = this.clock.now();
    return this.dataSource.transaction(async (manager) => {
      const [campaign] = await manager.query(
        `SELECT c.status FROM campaign c WHERE c.id = $1 FOR SHARE OF c`,
        [campaignId],
      );
      if (!campaign) throw campaignNotFound(campaignId);
      if (campaign.status === 'archived') {
        throw new DomainError('CampaignArchived', 'The campaign is archived; nobody can be enrolled in it.');
      }
      const reason = await this.nurtureBlock(manager, candidateId, now);
      if (reason) {
        throw new DomainError('CandidateNotEligible', `The candidate may not receive nurture email: ${reason}.`, { reason });
      }
      const [inserted] = await manager.query(
        `INSERT INTO enrollment (campaign_id, candidate_id, source, status, next_step, next_step_due_at, enrolled_at, step_anchor_at)
         VALUES ($1, $2, 'manual', 'active', 1, ${localPlusSql('$3::timestamptz', firstDelaySql('$1'), '(SELECT time_zone FROM candidate WHERE id = $2)')}, $3, $3)
         ON CONFLICT (campaign_id, candidate_id) WHERE status = 'active' DO NOTHING
         RETURNING id`,
        [campaignId, candidateId, now],
      );
      if (!inserted) {
        throw new DomainError('AlreadyEnrolled', 'The candidate is already in this campaign.', { candidateId });
      }
      return manager.getRepository(Enrollment).findOneByOrFail({ id: inserted.id });
    });
  }

  /** Newest enrollment first. */
  async list(campaignId: string, query: ListEnrollmentsQuery): Promise<Page<Enrollment>> {
    const [campaign] = await this.dataSource.query(`SELECT 1 FROM campaign WHERE id = $1`, [campaignId]);
    if (!campaign) throw campaignNotFound(campaignId);
    const limit = query.limit ?? DEFAULT_PAGE_LIMIT;
    const builder = this.dataSource.getRepository(Enrollment).createQueryBuilder('e')
      .where('e.campaign_id = :campaignId', { campaignId })
      .orderBy('e.enrolled_at', 'DESC').addOrderBy('e.id', 'DESC').take(limit + 1);
    if (query.status) builder.andWhere('e.status = :status', { status: query.status });
    if (query.cursor) {
      const [enrolledAt, id] = decodeCursor(query.cursor, ENROLLMENT_CURSOR);
      builder.andWhere('(e.enrolled_at, e.id) < (:enrolledAt, :id)', { enrolledAt, id });
    }
    return toPage(await builder.getMany(), limit, ENROLLMENT_CURSOR, (last) => [last.enrolledAt.toISOString(), last.id]);
  }

  /**
   * The outbox's own rule (email-gate), so a refusal here means the same as a suppressed email there.
   * FOR SHARE: an erasure under way holds the person; read unlocked, they were still there, and the
   * enrollment's foreign key failed once they were gone (a 500 where the answer is a 404). It also keeps
   * the consent read here from changing before the enrollment commits.
   */
  private async nurtureBlock(manager: EntityManager, candidateId: string, now: Date): Promise<string | null> {
    const [candidate]: (RecipientState & { email: string })[] = await manager.query(
      `SELECT email, status, unsubscribed_at AS "unsubscribedAt", consent_expires_at AS "consentExpiresAt",
              consent_withdrawn_at AS "consentWithdrawnAt"
       FROM candidate WHERE id = $1 FOR SHARE`,
      [candidateId],
    );
    if (!candidate) throw candidateNotFound(candidateId);
    const suppressed = (await this.suppression.reasons([candidate.email], manager)).get(addressKey(candidate.email));
    return blockReason(candidate, 'nurture', now, suppressed);
  }
}
