import { Module } from '@nestjs/common';
import { SkillModule } from '../skill/skill.module';
import { VacancyController } from './vacancy.controller';
import { VacancyService } from './vacancy.service';
import { VacancyViews } from './vacancy.view';

/** Open roles and their criteria. */
@Module({
  imports: [SkillModule],
  controllers: [VacancyController],
  providers: [VacancyService, VacancyViews],
  exports: [VacancyService],
})
export class VacancyModule {}
