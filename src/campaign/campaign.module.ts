import { Module } from '@nestjs/common';
import { CandidateModule } from '../candidate/candidate.module';
import { EmailModule } from '../email/email.module';
import { SkillModule } from '../skill/skill.module';
import { VacancyModule } from '../vacancy/vacancy.module';
import { AudienceEnrolment } from './audience-enrolment';
import { CampaignAudiences } from './campaign-audience';
import { CampaignMail } from './campaign-mail';
import { CampaignRunner } from './campaign-runner.service';
import { CampaignStatsService } from './campaign-stats.service';
import { CampaignController } from './campaign.controller';
import { CampaignScheduler } from './campaign.scheduler';
import { CampaignService } from './campaign.service';
import { CandidateReplyController } from './candidate-reply.controller';
import { EnrollmentExits } from './enrollment-exits';
import { EnrollmentService } from './enrollment.service';
import { ReplyService } from './reply.service';
import { StepDispatcher } from './step-dispatcher';
import { TimelineModule } from '../timeline/timeline.module';

/** Nurture campaigns: audiences, step sequences, enrollments, replies, and the round that queues due steps. */
@Module({
  imports: [EmailModule, SkillModule, CandidateModule, TimelineModule, VacancyModule],
  controllers: [CampaignController, CandidateReplyController],
  providers: [
    CampaignService,
    CampaignAudiences,
    CampaignMail,
    CampaignStatsService,
    EnrollmentService,
    EnrollmentExits,
    ReplyService,
    AudienceEnrolment,
    StepDispatcher,
    CampaignRunner,
    CampaignScheduler,
  ],
  exports: [CampaignRunner, CampaignService, EnrollmentService],
})
export class CampaignModule {}
