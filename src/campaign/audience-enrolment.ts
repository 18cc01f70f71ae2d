import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { candidateFilterSql, paramCollector } from '../candidate/candidate-filter';
import { CampaignAudience, CampaignAudiences } from './campaign-audience';
import { nurtureEligibleSql } from './nurture-eligibility';
import { firstDelaySql, localPlusSql } from './step-delay';

interface ActiveCampaign {
  id: string;
  audience: CampaignAudience;
}

/** Enrols the audiences of active campaigns: one INSERT ... SELECT per campaign. */
@Injectable()
export class AudienceEnrolment {
  constructor(private readonly audiences: CampaignAudiences) {}

  async enrolAudiences(manager: EntityManager, now: Date): Promise<number> {
    const campaigns: { id: string }[] = await manager.query(
      `SELECT c.id FROM campaign c WHERE c.status = 'active' ORDER BY c.created_at, c.id`,
    );
    // "Not enrolled before" must be a hash anti-join. Planned as a nested loop (what the planner picks
    // while enrollment looks empty, e.g. before its first ANALYZE), every candidate rescans the
    // enrollment rows this very statement is inserting: quadratic, minutes for 100k people.
    await manager.query(`SET LOCAL enable_nestloop = off`);
    let enrolled = 0;
    for (const { id } of campaigns) {
      // Locked as the step dispatcher and hand enrolment lock it: a pause or a step edit committed since
      // the list was read is seen (the campaign is skipped, or enrols with the new first delay), and one
      // still to come waits for this transaction, so its rescheduling sees the people enrolled here.
      const [campaign]: ActiveCampaign[] = await manager.query(
        `SELECT c.id, c.audience FROM campaign c WHERE c.id = $1 AND c.status = 'active' FOR SHARE`,
        [id],
      );
      if (campaign) enrolled += await this.enrol(manager, campaign, now);
    }
    await manager.query(`RESET enable_nestloop`);
    return enrolled;
  }

  /**
   * Everyone in the audience who may get nurture mail and was never in
   * this campaign before: someone who completed or left it is not pulled
   * back in by the audience (a recruiter can still enrol them by hand).
   */
  private async enrol(manager: EntityManager, campaign: ActiveCampaign, now: Date): Promise<number> {
    const { params, param } = paramCollector();
    const campaignId = param(campaign.id);
    const enrolledAt = param(now);
    const filter = await this.audiences.toFilter(campaign.audience, now);
    const where = [
      ...candidateFilterSql({ ...filter, consentValidAt: now }, param),
      ...nurtureEligibleSql(enrolledAt),
      `NOT EXISTS (SELECT 1 FROM enrollment x WHERE x.campaign_id = ${campaignId}::uuid AND x.candidate_id = c.id)`,
    ];
    const [{ n }] = await manager.query(
      `WITH inserted AS (
         INSERT INTO enrollment (campaign_id, candidate_id, source, status, next_step, next_step_due_at, enrolled_at, step_anchor_at)
         SELECT ${campaignId}::uuid, c.id, 'audience', 'active', 1,
                ${localPlusSql(`${enrolledAt}::timestamptz`, firstDelaySql(campaignId), 'c.time_zone')}, ${enrolledAt}::timestamptz, ${enrolledAt}::timestamptz
         FROM candidate c
         WHERE ${where.join(' AND ')}
         -- Someone being erased is held FOR UPDATE: skipped, not waited for, as the enrollment's foreign key
         -- would fail once they are gone and take the round with it. So is anyone else held FOR UPDATE at that
         -- moment (a reply being recorded): the next round enrols them. KEY SHARE: plain updates skip nobody.
         FOR KEY SHARE OF c SKIP LOCKED
         ON CONFLICT DO NOTHING
         RETURNING 1
       )
       SELECT count(*)::int AS n FROM inserted`,
      params,
    );
    return n;
  }
}
