import { Module } from '@nestjs/common';
import { CampaignModule } from '../campaign/campaign.module';
import { CandidateModule } from '../candidate/candidate.module';
import { EmailModule } from '../email/email.module';
import { PrivacyModule } from '../privacy/privacy.module';
import { SkillModule } from '../skill/skill.module';
import { TimelineModule } from '../timeline/timeline.module';
import { VacancyModule } from '../vacancy/vacancy.module';
import { CampaignEnrolment } from './campaign-enrolment';
import { CandidacyController } from './candidacy.controller';
import { CandidacyService } from './candidacy.service';
import { CandidacyViews } from './candidacy.view';
import { ConsentLinkController } from './consent-link/consent-link.controller';
import { ConsentLinkService } from './consent-link/consent-link.service';
import { DecisionReasons } from './decision-reasons';
import { FeedbackDeadlines } from './feedback-deadlines';
import { FeedbackDigestService } from './feedback-digest.service';
import { FeedbackDueService } from './feedback-due.service';
import { FeedbackStatsService } from './feedback-stats.service';
import { FeedbackController } from './feedback.controller';
import { FeedbackService } from './feedback.service';
import { MedalPool } from './medal-pool.service';
import { MedalViews } from './medal.view';
import { RelationshipSettings } from './relationship-settings.service';
import { CandidateRelationshipController, VacancyRelationshipController } from './relationship-lists.controller';
import { RelationshipScheduler } from './relationship.scheduler';
import { SettingsController } from './settings.controller';
import { VacancyClosingService } from './vacancy-closing.service';

/**
 * Candidacies and their stages, decisions, the feedback ladder with its
 * deadlines and daily digest, feedback given, medals for runners-up and
 * their way into the pool. The digest also reminds PRIVACY_CONTACT_EMAIL of
 * overdue data-subject requests (PrivacyModule's PrivacyRequestService).
 */
@Module({
  imports: [VacancyModule, CandidateModule, SkillModule, EmailModule, TimelineModule, CampaignModule, PrivacyModule],
  controllers: [
    CandidacyController,
    VacancyRelationshipController,
    CandidateRelationshipController,
    FeedbackController,
    SettingsController,
    ConsentLinkController,
  ],
  providers: [
    RelationshipSettings,
    CandidacyService,
    CandidacyViews,
    DecisionReasons,
    FeedbackDeadlines,
    FeedbackService,
    FeedbackDueService,
    FeedbackStatsService,
    FeedbackDigestService,
    RelationshipScheduler,
    VacancyClosingService,
    MedalPool,
    MedalViews,
    CampaignEnrolment,
    ConsentLinkService,
  ],
  exports: [CandidacyService, MedalViews],
})
export class RelationshipModule {}
