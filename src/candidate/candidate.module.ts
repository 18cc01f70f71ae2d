import { Module } from '@nestjs/common';
import { SkillModule } from '../skill/skill.module';
import { CandidateController } from './candidate.controller';
import { CandidateSearchService } from './candidate-search.service';
import { CandidateSkillWriter } from './candidate-skill-writer';
import { CandidateService } from './candidate.service';
import { CandidateViews } from './candidate.view';
import { ConsentService } from './consent.service';

@Module({
  imports: [SkillModule],
  controllers: [CandidateController],
  providers: [CandidateService, CandidateSearchService, CandidateSkillWriter, CandidateViews, ConsentService],
  exports: [CandidateService, CandidateSearchService, ConsentService],
})
export class CandidateModule {}
