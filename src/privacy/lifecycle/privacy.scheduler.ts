import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AppConfig } from '../../config/app-config';
import { PrivacyJobService } from './privacy-job.service';
import { safeErrorLog } from '../../common/errors/safe-error-log';

const INTERVAL_NAME = 'privacy-daily';
/** Cheap once the day is done (one conflicting insert); soon after PRIVACY_JOB_HOUR otherwise. */
const CHECK_EVERY_MS = 60_000;

/** Thin: every minute, ask for the daily privacy run; the service decides whether today's is still to do. */
@Injectable()
export class PrivacyScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(PrivacyScheduler.name);
  private running?: Promise<unknown>;

  constructor(
    private readonly job: PrivacyJobService,
    private readonly registry: SchedulerRegistry,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.SCHEDULER_ENABLED !== 'true') return;
    this.registry.addInterval(INTERVAL_NAME, setInterval(() => this.tick(), CHECK_EVERY_MS));
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.registry.doesExist('interval', INTERVAL_NAME)) this.registry.deleteInterval(INTERVAL_NAME);
    await this.running;
  }

  private tick(): void {
    if (this.running) return;
    this.running = this.job
      .runDaily()
      .catch((error: unknown) => this.logger.error(safeErrorLog(error), 'Privacy job failed'))
      .finally(() => (this.running = undefined));
  }
}
