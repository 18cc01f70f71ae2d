import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { CampaignAudience } from './campaign-audience';

export const CAMPAIGN_STATUSES = ['draft', 'active', 'paused', 'archived'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

@Entity('campaign')
export class Campaign {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column() name: string;
  /** Stored resolved: canonical skill names, normalised tags, upper-case country. */
  @Column({ type: 'jsonb' }) audience: CampaignAudience;
  @Column({ type: 'text' }) status: CampaignStatus;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

/** One email of the sequence; `delay` (ISO-8601) counts from enrollment for step 1, else from the previous step. */
@Entity('campaign_step')
export class CampaignStep {
  @PrimaryColumn({ name: 'campaign_id', type: 'uuid' }) campaignId: string;
  @PrimaryColumn({ type: 'int' }) position: number;
  @Column({ name: 'template_key' }) templateKey: string;
  @Column() delay: string;
}
