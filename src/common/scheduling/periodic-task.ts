import { BeforeApplicationShutdown, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AppConfig } from '../../config/app-config';
import { safeErrorLog } from '../errors/safe-error-log';

/**
 * The one shape of scheduled work: on every instance, every few seconds,
 * ask a service for one round. The service claims its work in the database
 * (SKIP LOCKED, leases, job_run rows), so instances need no coordination
 * here. One instance never runs two rounds of a task at once, and on
 * shutdown the round in flight is finished rather than abandoned.
 * Off when SCHEDULER_ENABLED is false (tests call the services directly).
 */
export abstract class PeriodicTask implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(this.constructor.name);
  private running?: Promise<unknown>;

  protected constructor(
    private readonly registry: SchedulerRegistry,
    protected readonly config: AppConfig,
  ) {}

  /** Unique among the tasks; names the interval. */
  protected abstract readonly taskName: string;
  protected abstract intervalMs(): number;
  protected abstract round(): Promise<unknown>;

  protected enabled(): boolean {
    return this.config.SCHEDULER_ENABLED === 'true';
  }

  onApplicationBootstrap(): void {
    if (!this.enabled()) return;
    this.registry.addInterval(this.taskName, setInterval(() => this.tick(), this.intervalMs()));
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.registry.doesExist('interval', this.taskName)) this.registry.deleteInterval(this.taskName);
    await this.running;
  }

  private tick(): void {
    if (this.running) return;
    this.running = this.round()
      .catch((error: unknown) => this.logger.error(safeErrorLog(error), `Scheduled ${this.taskName} round failed`))
      .finally(() => (this.running = undefined));
  }
}
