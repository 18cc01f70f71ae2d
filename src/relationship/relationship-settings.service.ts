import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { CampaignService } from '../campaign/campaign.service';
import { Principal } from '../common/auth/roles';
import { DomainError } from '../common/errors/domain-error';
import { Clock } from '../common/time/clock';
import { FeedbackPolicyDto, SilverMedalistCampaignDto } from './dto/settings.dto';
import { FeedbackPolicy, withDefaults } from './feedback-policy';

type SettingKey = 'feedback_policy' | 'silver_medalist_campaign';

/**
 * Deployment-wide settings of the relationship module, stored in the
 * database so every instance reads the same and admins change them at
 * run time: the feedback ladder, and which campaign nurtures medalists.
 */
@Injectable()
export class RelationshipSettings {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly campaigns: CampaignService,
    private readonly clock: Clock,
  ) {}

  async feedbackPolicy(manager: EntityManager = this.dataSource.manager): Promise<FeedbackPolicy> {
    return withDefaults(await this.read<FeedbackPolicy>('feedback_policy', manager));
  }

  async setFeedbackPolicy(dto: FeedbackPolicyDto, principal: Principal): Promise<FeedbackPolicy> {
    const policy: FeedbackPolicy = {
      confirmation: { enabled: dto.confirmation.enabled },
      rejection: {
        applied: { ...dto.rejection.applied },
        screening: { ...dto.rejection.screening },
        interview: { ...dto.rejection.interview },
        final: { ...dto.rejection.final },
        offer: { ...dto.rejection.offer },
      },
      publicHolidays: [...new Set(dto.publicHolidays)].sort(),
      dueSoonBusinessDays: dto.dueSoonBusinessDays,
    };
    await this.write('feedback_policy', policy, principal);
    return this.feedbackPolicy();
  }

  async silverMedalistCampaign(manager: EntityManager = this.dataSource.manager): Promise<{ campaignId: string | null }> {
    return { campaignId: (await this.read<{ campaignId: string | null }>('silver_medalist_campaign', manager))?.campaignId ?? null };
  }

  async setSilverMedalistCampaign(dto: SilverMedalistCampaignDto, principal: Principal): Promise<{ campaignId: string | null }> {
    if (dto.campaignId) {
      const campaign = await this.campaigns.get(dto.campaignId);
      if (campaign.status === 'archived') {
        throw new DomainError('CampaignArchived', 'The campaign is archived; choose a campaign that can still enrol people.');
      }
    }
    await this.write('silver_medalist_campaign', { campaignId: dto.campaignId }, principal);
    return this.silverMedalistCampaign();
  }

  private async read<T>(key: SettingKey, manager: EntityManager): Promise<T | null> {
    const [row] = await manager.query(`SELECT value FROM relationship_setting WHERE key = $1`, [key]);
    return (row?.value as T | undefined) ?? null;
  }

  private async write(key: SettingKey, value: unknown, principal: Principal): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO relationship_setting (key, value, updated_at, updated_by_key_id) VALUES ($1, $2, $3, $4)
       ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at,
                                       updated_by_key_id = EXCLUDED.updated_by_key_id`,
      [key, JSON.stringify(value), this.clock.now(), principal.keyId],
    );
  }
}
