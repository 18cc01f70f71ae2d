import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { EnrollmentService } from '../campaign/enrollment.service';
import { DomainError } from '../common/errors/domain-error';

export type EnrolmentResult = 'enrolled' | 'not_eligible' | 'no_campaign';

/**
 * Enrols a person in a nurture campaign through the campaign module's own
 * rules (consent, opt-out, suppression). CampaignModule does not export
 * EnrollmentService yet, so it is looked up across modules; once it is
 * exported this becomes a plain constructor injection.
 */
@Injectable()
export class CampaignEnrolment {
  private enrollments?: EnrollmentService;

  constructor(private readonly moduleRef: ModuleRef) {}

  async enrol(campaignId: string, candidateId: string): Promise<EnrolmentResult> {
    this.enrollments ??= this.moduleRef.get(EnrollmentService, { strict: false });
    try {
      await this.enrollments.enrol(campaignId, candidateId);
      return 'enrolled';
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      if (error.code === 'AlreadyEnrolled') return 'enrolled';
      if (error.code === 'CandidateNotEligible' || error.code === 'CandidateNotFound') return 'not_eligible';
      if (error.code === 'CampaignNotFound' || error.code === 'CampaignArchived') return 'no_campaign';
      throw error;
    }
  }
}
