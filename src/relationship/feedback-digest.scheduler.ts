import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AppConfig } from '../config/app-config';
import { FeedbackDigestService } from './feedback-digest.service';

const INTERVAL_NAME = 'feedback-digest';
/** Cheap when the day is done (one conflicting insert); frequent enough that the digest goes out soon after the hour. */
const CHECK_EVERY_MS = 60_000;

/** Thin: every minute, ask for the daily digest; the service decides whether today's is still to do. */
@Injectable()
export class FeedbackDigestScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(FeedbackDigestScheduler.name);
  private running?: Promise<unknown>;

  constructor(
    private readonly digest: FeedbackDigestService,
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
    this.running = this.digest
      .runDaily()
      .catch((error: unknown) => this.logger.error({ err: error }, 'Feedback digest failed'))
      .finally(() => (this.running = undefined));
  }
}
