import { DomainError } from '../common/errors/domain-error';
import { Injectable } from '@nestjs/common';
import { CandidateStatus } from '../candidate/candidate.entity';
import { CandidateFilter } from '../candidate/candidate-filter';
import { normaliseTags } from '../candidate/candidate.service';
import { minusDuration } from '../common/time/durations';
import { SkillService } from '../skill/skill.service';
import { VacancyService } from '../vacancy/vacancy.service';

/** Who a campaign is for: the pool search filters, stored resolved. */
export interface CampaignAudience {
  /** Canonical skill names. */
  skills?: string[];
  match?: 'any' | 'all';
  tags?: string[];
  country?: string;
  city?: string;
  status?: CandidateStatus;
  silverMedalist?: boolean;
  finalistOf?: string;
  /** ISO-8601 duration: nobody was sent an email within it, counted back from each round. */
  notContactedFor?: string;
}

/**
 * Audiences are stored with canonical skill names (aliases resolved when
 * saved) and turned into a CandidateFilter with skill ids when evaluated,
 * so a skill that appears in the pool later starts matching.
 */
@Injectable()
export class CampaignAudiences {
  constructor(
    private readonly skills: SkillService,
    private readonly vacancies: VacancyService,
  ) {}

  async normalise(audience: CampaignAudience | undefined): Promise<CampaignAudience> {
    if (!audience) return {};
    const result: CampaignAudience = {};
    // A filter that names nothing ("  ", "-") is refused: dropped, it would leave a campaign for the whole pool.
    if (audience.skills?.length) {
      const canonical = await this.skills.canonicalNames(audience.skills);
      if (audience.skills.some((name) => !canonical.get(name))) throw DomainError.field('audience.skills', 'each skill must contain a letter or digit');
      result.skills = [...new Set(audience.skills.map((name) => canonical.get(name)!))];
    }
    if (result.skills && audience.match) result.match = audience.match;
    if (audience.tags?.some((tag) => normaliseTags([tag]).length === 0)) throw DomainError.field('audience.tags', 'each tag must contain visible text');
    const tags = normaliseTags(audience.tags ?? []);
    if (tags.length > 0) result.tags = tags;
    if (audience.country) result.country = audience.country.toUpperCase();
    if (typeof audience.city === 'string' && !audience.city.trim()) throw DomainError.field('audience.city', 'city must contain visible text');
    if (audience.city) result.city = audience.city.trim();
    if (audience.status) result.status = audience.status;
    if (audience.silverMedalist !== undefined) result.silverMedalist = audience.silverMedalist;
    if (audience.finalistOf) {
      // Stored unchecked, a mistyped id made a campaign that quietly never found anybody.
      const id = audience.finalistOf.toLowerCase();
      if (!(await this.vacancies.exists(id))) throw new DomainError('VacancyNotFound', `audience.finalistOf: no vacancy with id ${id}.`);
      result.finalistOf = id;
    }
    if (audience.notContactedFor) result.notContactedFor = audience.notContactedFor;
    return result;
  }

  /** The filter at `now`: "not contacted for" counts back from it. */
  async toFilter(audience: CampaignAudience, now: Date): Promise<CandidateFilter> {
    const names = audience.skills ?? [];
    return {
      skillIds: await this.skills.idsOf(names),
      match: audience.match,
      tags: audience.tags,
      country: audience.country,
      city: audience.city,
      status: audience.status,
      silverMedalist: audience.silverMedalist,
      finalistOf: audience.finalistOf,
      notContactedSince: audience.notContactedFor ? minusDuration(now, audience.notContactedFor) : undefined,
    };
  }
}
