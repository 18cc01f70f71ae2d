import { Injectable, Logger } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { safeErrorLog } from '../common/errors/safe-error-log';
import { PeriodicTask } from '../common/scheduling/periodic-task';
import { AppConfig } from '../config/app-config';
import { FeedbackDigestService } from './feedback-digest.service';
import { MedalPool } from './medal-pool.service';

/**
 * Every minute: the daily feedback digest (the service decides whether
 * today's is still to do, once across instances; cheap otherwise) and the
 * enrolment of medalists whose consent arrived or whose enrolment was interrupted.
 */
@Injectable()
export class RelationshipScheduler extends PeriodicTask {
  protected readonly taskName = 'relationship';
  private readonly log = new Logger(RelationshipScheduler.name);

  constructor(
    private readonly digest: FeedbackDigestService,
    private readonly pool: MedalPool,
    registry: SchedulerRegistry,
    config: AppConfig,
  ) {
    super(registry, config);
  }

  protected intervalMs(): number {
    return 60_000;
  }

  /** The two are independent: one failing must not skip the other. */
  protected round(): Promise<unknown> {
    return Promise.all([
      this.digest.runDaily().catch((error: unknown) => this.log.error(safeErrorLog(error), 'Feedback digest failed')),
      this.pool.sweep().catch((error: unknown) => this.log.error(safeErrorLog(error), 'Medalist enrolment round failed')),
    ]);
  }
}
