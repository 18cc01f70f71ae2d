import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AppConfig } from '../config/app-config';
import { FeedbackDigestService } from './feedback-digest.service';
import { MedalPool } from './medal-pool.service';
import { safeErrorLog } from '../common/errors/safe-error-log';

const INTERVAL_NAME = 'relationship';
/** Cheap when there is nothing to do (one conflicting insert, one indexed lookup); the digest goes out within a minute of the hour. */
const TICK_MS = 60_000;

/**
 * Thin: every minute, ask for the daily feedback digest (the service
 * decides whether today's is still to do, once across instances) and
 * enrol the medalists whose consent arrived or whose enrolment was interrupted.
 */
@Injectable()
export class RelationshipScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(RelationshipScheduler.name);
  private running?: Promise<unknown>;

  constructor(
    private readonly digest: FeedbackDigestService,
    private readonly pool: MedalPool,
    private readonly registry: SchedulerRegistry,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.SCHEDULER_ENABLED !== 'true') return;
    this.registry.addInterval(INTERVAL_NAME, setInterval(() => this.tick(), TICK_MS));
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.registry.doesExist('interval', INTERVAL_NAME)) this.registry.deleteInterval(INTERVAL_NAME);
    await this.running;
  }

  private tick(): void {
    if (this.running) return;
    this.running = Promise.all([
      this.digest.runDaily().catch((error: unknown) => this.logger.error(safeErrorLog(error), 'Feedback digest failed')),
      this.pool.sweep().catch((error: unknown) => this.logger.error(safeErrorLog(error), 'Medalist enrolment round failed')),
    ]).finally(() => (this.running = undefined));
  }
}
