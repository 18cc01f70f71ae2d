import { Module } from '@nestjs/common';
import { CandidateModule } from '../candidate/candidate.module';
import { EmailModule } from '../email/email.module';
import { MatchingModule } from '../matching/matching.module';
import { TimelineModule } from '../timeline/timeline.module';
import { ProfileController } from './profile.controller';
import { ProfileService } from './profile.service';

/** The candidate's own page (`/p/:token`): skills, location and interest in new roles. */
@Module({
  imports: [CandidateModule, EmailModule, TimelineModule, MatchingModule],
  controllers: [ProfileController],
  providers: [ProfileService],
})
export class ProfileModule {}
