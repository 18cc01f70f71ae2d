import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AppConfig } from '../config/app-config';
import { CampaignRunner } from './campaign-runner.service';
import { safeErrorLog } from '../common/errors/safe-error-log';

const INTERVAL_NAME = 'campaign-round';

/** Thin: every CAMPAIGN_TICK_MS, ask the runner for one round. Runs on every instance. */
@Injectable()
export class CampaignScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(CampaignScheduler.name);
  private running?: Promise<unknown>;

  constructor(
    private readonly runner: CampaignRunner,
    private readonly registry: SchedulerRegistry,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.SCHEDULER_ENABLED !== 'true') return;
    this.registry.addInterval(INTERVAL_NAME, setInterval(() => this.tick(), this.config.CAMPAIGN_TICK_MS));
  }

  /** Let the round in flight commit its batch rather than cut it off mid-transaction. */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.registry.doesExist('interval', INTERVAL_NAME)) this.registry.deleteInterval(INTERVAL_NAME);
    await this.running;
  }

  /** A round still running when the next tick comes is left alone: rounds never overlap. */
  private tick(): void {
    if (this.running) return;
    this.running = this.runner
      .runDue()
      .catch((error: unknown) => this.logger.error(safeErrorLog(error), 'Campaign round failed'))
      .finally(() => (this.running = undefined));
  }
}
