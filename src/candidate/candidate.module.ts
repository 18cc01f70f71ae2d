import { Module } from '@nestjs/common';
import { EmailModule } from '../email/email.module';
import { SkillModule } from '../skill/skill.module';
import { TimelineModule } from '../timeline/timeline.module';
import { CandidateController } from './candidate.controller';
import { CandidateLinks } from './candidate-links';
import { CandidateSearchService } from './candidate-search.service';
import { CandidateSkillWriter } from './candidate-skill-writer';
import { CandidateService } from './candidate.service';
import { CandidateViews } from './candidate.view';
import { ConsentService } from './consent.service';
import { CandidateImportController } from './import/candidate-import.controller';
import { CandidateImportService } from './import/candidate-import.service';

@Module({
  imports: [SkillModule, TimelineModule, EmailModule],
  controllers: [CandidateController, CandidateImportController],
  providers: [
    CandidateService,
    CandidateLinks,
    CandidateSearchService,
    CandidateSkillWriter,
    CandidateViews,
    ConsentService,
    CandidateImportService,
  ],
  exports: [CandidateService, CandidateLinks, CandidateSearchService, ConsentService],
})
export class CandidateModule {}
