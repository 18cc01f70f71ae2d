import { Module } from '@nestjs/common';
import { TemplateModule } from '../template/template.module';
import { TimelineModule } from '../timeline/timeline.module';
import { VacancyModule } from '../vacancy/vacancy.module';
import { DeliveryScheduler } from './delivery/delivery.scheduler';
import { DeliveryService } from './delivery/delivery.service';
import { ReplyToResolver } from './delivery/reply-to';
import { SmtpSender } from './delivery/smtp-sender';
import { EmailQueryService } from './email-query.service';
import { EmailResolutionService } from './email-resolution.service';
import { EmailController } from './email.controller';
import { OutboxService } from './outbox.service';
import { SuppressionService } from './suppression.service';
import { UnsubscribeController } from './unsubscribe/unsubscribe.controller';
import { UnsubscribeService } from './unsubscribe/unsubscribe.service';

@Module({
  // Vacancy: the Reply-To of mail about a vacancy is its staff, looked up at sending (delivery/reply-to.ts).
  imports: [TemplateModule, TimelineModule, VacancyModule],
  controllers: [EmailController, UnsubscribeController],
  providers: [
    OutboxService,
    SuppressionService,
    EmailQueryService,
    EmailResolutionService,
    SmtpSender,
    DeliveryService,
    ReplyToResolver,
    DeliveryScheduler,
    UnsubscribeService,
  ],
  exports: [OutboxService, SuppressionService, DeliveryService, UnsubscribeService],
})
export class EmailModule {}
