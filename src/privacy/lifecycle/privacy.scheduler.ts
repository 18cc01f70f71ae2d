import { Injectable } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { PeriodicTask } from '../../common/scheduling/periodic-task';
import { AppConfig } from '../../config/app-config';
import { PrivacyJobService } from './privacy-job.service';

/** Every minute, ask for the daily privacy run; the service decides whether today's is still to do. */
@Injectable()
export class PrivacyScheduler extends PeriodicTask {
  protected readonly taskName = 'privacy-daily';

  constructor(
    private readonly job: PrivacyJobService,
    registry: SchedulerRegistry,
    config: AppConfig,
  ) {
    super(registry, config);
  }

  protected intervalMs(): number {
    return 60_000;
  }

  protected round(): Promise<unknown> {
    return this.job.runDaily();
  }
}
