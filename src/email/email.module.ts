import { Module } from '@nestjs/common';
import { TemplateModule } from '../template/template.module';
import { TimelineModule } from '../timeline/timeline.module';
import { DeliveryScheduler } from './delivery/delivery.scheduler';
import { DeliveryService } from './delivery/delivery.service';
import { SmtpSender } from './delivery/smtp-sender';
import { EmailQueryService } from './email-query.service';
import { EmailController } from './email.controller';
import { OutboxService } from './outbox.service';
import { SuppressionService } from './suppression.service';
import { UnsubscribeController } from './unsubscribe/unsubscribe.controller';
import { UnsubscribeService } from './unsubscribe/unsubscribe.service';

@Module({
  imports: [TemplateModule, TimelineModule],
  controllers: [EmailController, UnsubscribeController],
  providers: [
    OutboxService,
    SuppressionService,
    EmailQueryService,
    SmtpSender,
    DeliveryService,
    DeliveryScheduler,
    UnsubscribeService,
  ],
  exports: [OutboxService, SuppressionService, DeliveryService, UnsubscribeService],
})
export class EmailModule {}
