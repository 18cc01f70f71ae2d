import { Module } from '@nestjs/common';
import { EmailModule } from '../email/email.module';
import { TimelineModule } from '../timeline/timeline.module';
import { VacancyModule } from '../vacancy/vacancy.module';
import { CandidateInterestService } from './candidate-interest.service';
import { MatchDecisionService } from './match-decision.service';
import { MatchRanker } from './match-ranker';
import { MatchRunService } from './match-run.service';
import { MatchSpecs } from './match-specs';
import { MatchController } from './match.controller';
import { MatchService } from './match.service';
import { MatchViews } from './match.views';
import { MatchingScheduler } from './matching.scheduler';

/**
 * The pool scored against each vacancy, set-based in PostgreSQL; stored
 * suggestions a recruiter invites or dismisses; the daily run and digest;
 * what candidates tell us about their interest.
 *
 * The ranking statement reads the candidate, skill, candidacy, medal, gap,
 * timeline and interest tables in one query (see match-ranking.ts): scoring
 * a million people cannot go through other modules' services row by row.
 */
@Module({
  imports: [VacancyModule, EmailModule, TimelineModule],
  controllers: [MatchController],
  providers: [
    MatchSpecs,
    MatchRanker,
    MatchService,
    MatchViews,
    MatchRunService,
    MatchDecisionService,
    CandidateInterestService,
    MatchingScheduler,
  ],
  exports: [MatchService, MatchRunService, MatchDecisionService, CandidateInterestService],
})
export class MatchingModule {}
