import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AppConfig } from '../config/app-config';
import { MatchRunService } from './match-run.service';
import { safeErrorLog } from '../common/errors/safe-error-log';

const INTERVAL_NAME = 'matching';
/** A vacancy opened is matched within a minute; when nothing is due a round is one indexed query. */
const TICK_MS = 60_000;

/** Thin: every minute, ask for the vacancies due to be matched (newly opened, or not yet today). */
@Injectable()
export class MatchingScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(MatchingScheduler.name);
  private running?: Promise<unknown>;

  constructor(
    private readonly runs: MatchRunService,
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
    this.running = this.runs
      .runDue()
      .catch((error: unknown) => this.logger.error(safeErrorLog(error), 'Matching round failed'))
      .finally(() => (this.running = undefined));
  }
}
