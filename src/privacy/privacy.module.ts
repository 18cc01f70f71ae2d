import { Module } from '@nestjs/common';
import { CandidateModule } from '../candidate/candidate.module';
import { EmailModule } from '../email/email.module';
import { AuditController } from './audit/audit.controller';
import { CandidateExportController } from './export/candidate-export.controller';
import { CandidateExportService } from './export/candidate-export.service';
import { ConsentExpiry } from './lifecycle/consent-expiry';
import { ConsentRenewals } from './lifecycle/consent-renewals';
import { LifecycleErasures } from './lifecycle/lifecycle-erasures';
import { PrivacyJobService } from './lifecycle/privacy-job.service';
import { PrivacyScheduler } from './lifecycle/privacy.scheduler';
import { PrivacyCoreModule } from './privacy-core.module';
import { RenewalLinkController } from './renewal-link/renewal-link.controller';
import { RenewalLinkService } from './renewal-link/renewal-link.service';
import { PrivacyRequestController } from './requests/privacy-request.controller';
import { PrivacyRequestService } from './requests/privacy-request.service';

/**
 * Privacy by default: the consent lifecycle (renewal requests, expiry,
 * grace-period erasure), retention for applicants outside the pool,
 * export, erasure, the audit trail and data-subject requests.
 */
@Module({
  imports: [PrivacyCoreModule, CandidateModule, EmailModule],
  controllers: [AuditController, CandidateExportController, PrivacyRequestController, RenewalLinkController],
  providers: [
    CandidateExportService,
    PrivacyRequestService,
    RenewalLinkService,
    ConsentRenewals,
    ConsentExpiry,
    LifecycleErasures,
    PrivacyJobService,
    PrivacyScheduler,
  ],
  exports: [PrivacyRequestService, PrivacyJobService],
})
export class PrivacyModule {}
