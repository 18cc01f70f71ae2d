import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import { cursorFormat, decodeCursor, DEFAULT_PAGE_LIMIT, Page, toPage } from '../common/pagination/page';
import { Clock } from '../common/time/clock';
import { CampaignAudience, CampaignAudiences } from './campaign-audience';
import { CampaignMail } from './campaign-mail';
import { Campaign, CampaignStatus, CampaignStep } from './campaign.entity';
import { checkTransition, isEditable } from './campaign-status';
import { CampaignStepDto, CreateCampaignDto, ListCampaignsQuery, UpdateCampaignDto } from './dto/campaign.dto';
import { EnrollmentExits } from './enrollment-exits';
import { localPlusSql } from './step-delay';

const CAMPAIGN_CURSOR = cursorFormat('campaigns', 'timestamp', 'uuid');

export interface CampaignView {
  id: string;
  name: string;
  status: CampaignStatus;
  audience: CampaignAudience;
  steps: { position: number; templateKey: string; delay: string }[];
  createdAt: string;
  updatedAt: string;
}

export function campaignNotFound(id: string): DomainError {
  return new DomainError('CampaignNotFound', `No campaign with id ${id}.`);
}

/** Creating, reading and changing campaigns, and their status transitions. */
@Injectable()
export class CampaignService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audiences: CampaignAudiences,
    private readonly exits: EnrollmentExits,
    private readonly mail: CampaignMail,
    private readonly clock: Clock,
  ) {}

  /** New campaigns start as drafts: nothing is sent until someone activates them. */
  async create(dto: CreateCampaignDto): Promise<CampaignView> {
    const audience = await this.audiences.normalise(dto.audience);
    const now = this.clock.now();
    const id = await this.dataSource.transaction(async (manager) => {
      const repository = manager.getRepository(Campaign);
      const saved = await repository.save(
        repository.create({ name: dto.name, audience, status: 'draft', createdAt: now, updatedAt: now }),
      );
      await this.replaceSteps(manager, saved.id, dto.steps, now);
      return saved.id;
    });
    return this.get(id);
  }

  async get(id: string): Promise<CampaignView> {
    const campaign = await this.dataSource.getRepository(Campaign).findOneBy({ id });
    if (!campaign) throw campaignNotFound(id);
    return (await this.withSteps([campaign]))[0];
  }

  /** Newest first. */
  async list(query: ListCampaignsQuery): Promise<Page<CampaignView>> {
    const limit = query.limit ?? DEFAULT_PAGE_LIMIT;
    const builder = this.dataSource.getRepository(Campaign).createQueryBuilder('c')
      .orderBy('c.created_at', 'DESC').addOrderBy('c.id', 'DESC').take(limit + 1);
    if (query.status) builder.andWhere('c.status = :status', { status: query.status });
    if (query.cursor) {
      const [createdAt, id] = decodeCursor(query.cursor, CAMPAIGN_CURSOR);
      builder.andWhere('(c.created_at, c.id) < (:createdAt, :id)', { createdAt, id });
    }
    const page = toPage(await builder.getMany(), limit, CAMPAIGN_CURSOR, (last) => [last.createdAt.toISOString(), last.id]);
    return { items: await this.withSteps(page.items), nextCursor: page.nextCursor };
  }

  /**
   * Name any time (until archived); audience and steps only while draft or
   * paused, so a running sequence never changes under the people in it.
   */
  async update(id: string, dto: UpdateCampaignDto): Promise<CampaignView> {
    const audience = dto.audience ? await this.audiences.normalise(dto.audience) : undefined;
    await this.dataSource.transaction(async (manager) => {
      const campaign = await this.lock(manager, id);
      const now = this.clock.now();
      if (campaign.status === 'archived') throw archived();
      if ((dto.steps || dto.audience) && !isEditable(campaign.status)) {
        throw new DomainError(
          'CampaignStateConflict',
          `Steps and audience can change only while the campaign is draft or paused; it is ${campaign.status}. Pause it first.`,
        );
      }
      const changes: Partial<Campaign> = { updatedAt: now };
      if (dto.name !== undefined) changes.name = dto.name;
      if (audience) changes.audience = audience;
      if (dto.steps) await this.replaceSteps(manager, id, dto.steps, now);
      await manager.getRepository(Campaign).update(id, changes);
      if (dto.status) await this.transition(manager, campaign, dto.status, now);
    });
    return this.get(id);
  }

  /** Pause and resume are idempotent; resuming a draft starts it. */
  async setStatus(id: string, status: CampaignStatus): Promise<CampaignView> {
    await this.dataSource.transaction(async (manager) => {
      const campaign = await this.lock(manager, id);
      const now = this.clock.now();
      await this.transition(manager, campaign, status, now);
    });
    return this.get(id);
  }

  /**
   * Moves the campaign to `to`, then its mail and enrollments along. The
   * status is written first: the outbox trigger that keeps mail of paused
   * campaigns held reads it, so released mail must see the campaign active.
   */
  private async transition(manager: EntityManager, campaign: Campaign, to: CampaignStatus, now: Date): Promise<void> {
    const check = checkTransition(campaign.status, to);
    if (!check.ok) {
      throw campaign.status === 'archived' ? archived() : new DomainError('CampaignStateConflict', check.reason, { campaignStatus: campaign.status });
    }
    if (!check.changes) return;
    await manager.getRepository(Campaign).update(campaign.id, { status: to, updatedAt: now });
    if (to === 'paused') await this.mail.holdQueued(manager, campaign.id, now);
    if (to === 'active' && campaign.status === 'paused') await this.mail.releaseHeld(manager, campaign.id, now);
    if (to === 'archived') {
      await this.exits.exitCampaign(manager, campaign.id, now);
      await this.mail.cancelUnsent(manager, campaign.id, now);
    }
  }

  /** Row lock: a status change waits for the step batch in flight (which holds a share lock). */
  private async lock(manager: EntityManager, id: string): Promise<Campaign> {
    const campaign = await manager.getRepository(Campaign).createQueryBuilder('c')
      .setLock('pessimistic_write').where('c.id = :id', { id }).getOne();
    if (!campaign) throw campaignNotFound(id);
    return campaign;
  }

  /**
   * The new steps, and everyone waiting rescheduled to them: the next step's delay counts from when
   * their wait began, in their own zone, as the dispatcher counts it. Someone whose next step is gone
   * is due now, and the next round completes their sequence (the dispatcher ends one with no step left).
   * Only rows whose time changes are written: the edit holds the campaign, and these rows, until it commits.
   */
  private async replaceSteps(manager: EntityManager, campaignId: string, steps: CampaignStepDto[], now: Date): Promise<void> {
    const repository = manager.getRepository(CampaignStep);
    const before = await repository.find({ where: { campaignId }, order: { position: 'ASC' } });
    await repository.delete({ campaignId });
    await repository.insert(
      steps.map((step, index) => ({ campaignId, position: index + 1, templateKey: step.templateKey, delay: step.delay })),
    );
    const sameDelays = before.length === steps.length && before.every((step, index) => step.delay === steps[index].delay);
    if (sameDelays) return;
    await manager.query(
      `UPDATE enrollment e SET next_step_due_at = x.due
       FROM (SELECT e2.id, CASE WHEN s.delay IS NULL THEN least(e2.next_step_due_at, $2::timestamptz)
                                ELSE ${localPlusSql('e2.step_anchor_at', 's.delay', 'c.time_zone')} END AS due
             FROM enrollment e2
             JOIN candidate c ON c.id = e2.candidate_id
             LEFT JOIN campaign_step s ON s.campaign_id = e2.campaign_id AND s.position = e2.next_step
             WHERE e2.campaign_id = $1 AND e2.status = 'active' AND (e2.step_anchor_at IS NOT NULL OR s.delay IS NULL)) x
       WHERE e.id = x.id AND e.next_step_due_at IS DISTINCT FROM x.due`,
      [campaignId, now],
    );
  }

  private async withSteps(campaigns: Campaign[]): Promise<CampaignView[]> {
    if (campaigns.length === 0) return [];
    const steps = await this.dataSource.getRepository(CampaignStep).find({
      where: { campaignId: In(campaigns.map((campaign) => campaign.id)) },
      order: { position: 'ASC' },
    });
    return campaigns.map((campaign) => ({
      id: campaign.id,
      name: campaign.name,
      status: campaign.status,
      audience: campaign.audience,
      steps: steps
        .filter((step) => step.campaignId === campaign.id)
        .map(({ position, templateKey, delay }) => ({ position, templateKey, delay })),
      createdAt: campaign.createdAt.toISOString(),
      updatedAt: campaign.updatedAt.toISOString(),
    }));
  }
}

function archived(): DomainError {
  return new DomainError('CampaignArchived', 'The campaign is archived; archived campaigns cannot change.');
}
