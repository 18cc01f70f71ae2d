import { Injectable } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { PeriodicTask } from '../common/scheduling/periodic-task';
import { AppConfig } from '../config/app-config';
import { CampaignRunner } from './campaign-runner.service';

/** Every CAMPAIGN_TICK_MS, one campaign round (exits, audiences, due steps). Runs on every instance. */
@Injectable()
export class CampaignScheduler extends PeriodicTask {
  protected readonly taskName = 'campaign-round';

  constructor(
    private readonly runner: CampaignRunner,
    registry: SchedulerRegistry,
    config: AppConfig,
  ) {
    super(registry, config);
  }

  protected intervalMs(): number {
    return this.config.CAMPAIGN_TICK_MS;
  }

  protected round(): Promise<unknown> {
    return this.runner.runDue();
  }
}
