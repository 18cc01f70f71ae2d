import { Injectable } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { PeriodicTask } from '../../common/scheduling/periodic-task';
import { AppConfig } from '../../config/app-config';
import { DeliveryService } from './delivery.service';

/** Every EMAIL_TICK_MS, one delivery round (only where SMTP is configured). */
@Injectable()
export class DeliveryScheduler extends PeriodicTask {
  protected readonly taskName = 'email-delivery';

  constructor(
    private readonly delivery: DeliveryService,
    registry: SchedulerRegistry,
    config: AppConfig,
  ) {
    super(registry, config);
  }

  protected override enabled(): boolean {
    return super.enabled() && Boolean(this.config.SMTP_URL);
  }

  protected intervalMs(): number {
    return this.config.EMAIL_TICK_MS;
  }

  protected round(): Promise<unknown> {
    return this.delivery.deliverDue();
  }
}
