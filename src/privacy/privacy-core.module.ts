import { Global, MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { EmailModule } from '../email/email.module';
import { AuditLog } from './audit/audit-log.service';
import { RequestContextMiddleware } from './audit/request-context';
import { CandidateEraser } from './erasure/candidate-eraser';

/**
 * The audit log and erasure, global because the modules that own
 * candidate data call them (reads and consent events are audited where
 * they happen; DELETE /candidates/:id erases) while the privacy module
 * itself builds on those modules.
 */
@Global()
@Module({
  imports: [EmailModule],
  providers: [AuditLog, CandidateEraser, RequestContextMiddleware],
  exports: [AuditLog, CandidateEraser],
})
export class PrivacyCoreModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RequestContextMiddleware).forRoutes({ path: '*', method: RequestMethod.ALL });
  }
}
