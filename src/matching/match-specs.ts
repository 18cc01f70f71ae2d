import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../common/time/clock';
import { AppConfig } from '../config/app-config';
import { PreparedStatement, runPrepared } from '../database/prepared-statement';
import { vacancyNotFound } from '../vacancy/vacancy.service';
import { VacancyStatus } from '../vacancy/vacancy-status';
import { Criterion, matchSpec, MatchSpec } from './match-spec';
import { MatchWeights, parseWeights } from './match-weights';

interface VacancyForMatching {
  id: string;
  title: string;
  team: string | null;
  location: string | null;
  status: VacancyStatus;
  criteria: Criterion[];
}

/** Named: it runs before every live ranking, and planning its subquery took longer than running it (0.5 against 0.2 ms). */
const VACANCY_FOR_MATCHING: PreparedStatement = {
  name: 'vacancy_for_matching',
  text: `
  SELECT v.id, v.title, v.team, v.location, v.status,
         coalesce((SELECT jsonb_agg(jsonb_build_object('skillId', vc.skill_id, 'name', s.name, 'weight', vc.weight, 'required', vc.required))
                   FROM vacancy_criterion vc JOIN skill s ON s.id = vc.skill_id WHERE vc.vacancy_id = v.id), '[]') AS criteria
  FROM vacancy v WHERE v.id = $1`,
};

/**
 * A vacancy as matching sees it: its criteria with skill ids, the weights,
 * and now. One statement, read in the same way as the ranking reads the
 * vacancy's other tables (a live ranking is a request on the hot path).
 */
@Injectable()
export class MatchSpecs {
  readonly weights: MatchWeights;
  private readonly timeZone: string;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    config: AppConfig,
  ) {
    this.weights = parseWeights(config.MATCH_WEIGHTS);
    this.timeZone = config.DEFAULT_TIME_ZONE;
  }

  /** Throws VacancyNotFound. */
  async load(vacancyId: string, manager: EntityManager = this.dataSource.manager): Promise<{ spec: MatchSpec; status: VacancyStatus }> {
    const [row] = await runPrepared<VacancyForMatching>(manager, VACANCY_FOR_MATCHING, [vacancyId]);
    if (!row) throw vacancyNotFound(vacancyId);
    return { spec: matchSpec(row, row.criteria, this.weights, this.clock.now(), this.timeZone), status: row.status };
  }
}
