import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import { SkillService } from '../skill/skill.service';
import { VacancyService } from '../vacancy/vacancy.service';
import { CandidatePromise, DecisionReason } from './candidacy.view';
import { DecisionReasonDto, PromiseDto } from './dto/candidacy.dto';

export interface ResolvedDecision {
  reasons: DecisionReason[];
  promise: CandidatePromise | null;
  gapSkillIds: number[];
}

const SENIORITY = 'seniority';

/**
 * Ties a rejection's reasons to the vacancy's criteria and turns the gap
 * into canonical skills, spelled the same way as candidates' and vacancies'
 * skills (aliases applied), so matching can later see the gap close.
 */
@Injectable()
export class DecisionReasons {
  constructor(
    private readonly skills: SkillService,
    private readonly vacancies: VacancyService,
  ) {}

  async resolve(
    manager: EntityManager,
    vacancy: { id: string; seniority: string | null },
    reasons: DecisionReasonDto[],
    promise: PromiseDto | undefined,
  ): Promise<ResolvedDecision> {
    const criteria = await this.vacancies.criteria(manager, vacancy.id);
    const raw = [
      ...reasons.flatMap((reason) => [reason.criterion, ...(reason.gapSkills ?? [])]),
      ...(promise?.skills ?? []),
    ];
    const canonical = await this.skills.canonicalNames(raw, manager);
    const known = [...criteria.keys(), ...(vacancy.seniority ? [SENIORITY] : [])];
    const resolved = reasons.map((reason, index): DecisionReason => {
      const isSeniority = reason.criterion.toLowerCase() === SENIORITY && vacancy.seniority !== null;
      const criterion = isSeniority ? SENIORITY : canonical.get(reason.criterion)!;
      if (!isSeniority && !criteria.has(criterion)) {
        throw DomainError.field(
          `reasons.${index}.criterion`,
          `"${reason.criterion}" is not one of the vacancy's criteria (${known.join(', ') || 'it has none'})`,
        );
      }
      const gaps = reason.gapSkills?.map((skill) => canonical.get(skill)!).filter(Boolean) ?? (isSeniority ? [] : [criterion]);
      return { criterion, gapSkills: [...new Set(gaps)], note: reason.note ?? null };
    });
    const gapNames = [...new Set(resolved.flatMap((reason) => reason.gapSkills))];
    const ids = await this.skills.idsFor(gapNames, manager);
    return {
      reasons: resolved,
      promise: promise
        ? {
            text: promise.text,
            skills: [...new Set((promise.skills ?? []).map((skill) => canonical.get(skill)!).filter(Boolean))],
            team: promise.team ?? null,
          }
        : null,
      gapSkillIds: gapNames.map((name) => ids.get(name)!),
    };
  }
}
