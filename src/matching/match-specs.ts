import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../common/time/clock';
import { AppConfig } from '../config/app-config';
import { VacancyService } from '../vacancy/vacancy.service';
import { VacancyView } from '../vacancy/vacancy.view';
import { matchSpec, MatchSpec } from './match-spec';
import { MatchWeights, parseWeights } from './match-weights';

/** A vacancy as matching sees it: its criteria with skill ids, the weights, and now. */
@Injectable()
export class MatchSpecs {
  readonly weights: MatchWeights;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly vacancies: VacancyService,
    private readonly clock: Clock,
    config: AppConfig,
  ) {
    this.weights = parseWeights(config.MATCH_WEIGHTS);
  }

  /** Throws VacancyNotFound. */
  async load(vacancyId: string, manager: EntityManager = this.dataSource.manager): Promise<{ spec: MatchSpec; vacancy: VacancyView }> {
    const vacancy = await this.vacancies.get(vacancyId, manager);
    const criteria = await this.vacancies.criteria(manager, vacancyId);
    const spec = matchSpec(
      vacancy,
      [...criteria].map(([name, criterion]) => ({ name, ...criterion })),
      this.weights,
      this.clock.now(),
    );
    return { spec, vacancy };
  }
}
