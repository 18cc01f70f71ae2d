import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AppConfig } from '../../config/app-config';
import { DeliveryService } from './delivery.service';
import { safeErrorLog } from '../../common/errors/safe-error-log';

const INTERVAL_NAME = 'email-delivery';

/** Thin: every EMAIL_TICK_MS, ask the delivery service for one round. Runs on every instance. */
@Injectable()
export class DeliveryScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(DeliveryScheduler.name);
  private running?: Promise<unknown>;

  constructor(
    private readonly delivery: DeliveryService,
    private readonly registry: SchedulerRegistry,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.SCHEDULER_ENABLED !== 'true' || !this.config.SMTP_URL) return;
    this.registry.addInterval(INTERVAL_NAME, setInterval(() => this.tick(), this.config.EMAIL_TICK_MS));
  }

  /** Finish the round in flight so no claimed email waits for its lease to expire. */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.registry.doesExist('interval', INTERVAL_NAME)) this.registry.deleteInterval(INTERVAL_NAME);
    await this.running;
  }

  private tick(): void {
    if (this.running) return;
    this.running = this.delivery
      .deliverDue()
      .catch((error: unknown) => this.logger.error(safeErrorLog(error), 'Email delivery round failed'))
      .finally(() => (this.running = undefined));
  }
}
