import { Injectable } from '@nestjs/common';
import { CandidateStatus } from '../candidate/candidate.entity';
import { CandidateFilter } from '../candidate/candidate-filter';
import { normaliseTags } from '../candidate/candidate.service';
import { minusDuration } from '../common/time/durations';
import { SkillService } from '../skill/skill.service';

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
  constructor(private readonly skills: SkillService) {}

  async normalise(audience: CampaignAudience | undefined): Promise<CampaignAudience> {
    if (!audience) return {};
    const result: CampaignAudience = {};
    if (audience.skills?.length) {
      const canonical = await this.skills.canonicalNames(audience.skills);
      const names = [...new Set(audience.skills.map((name) => canonical.get(name)!))].filter(Boolean);
      if (names.length > 0) result.skills = names;
    }
    if (result.skills && audience.match) result.match = audience.match;
    const tags = normaliseTags(audience.tags ?? []);
    if (tags.length > 0) result.tags = tags;
    if (audience.country) result.country = audience.country.toUpperCase();
    if (audience.city) result.city = audience.city.trim();
    if (audience.status) result.status = audience.status;
    if (audience.silverMedalist !== undefined) result.silverMedalist = audience.silverMedalist;
    if (audience.finalistOf) result.finalistOf = audience.finalistOf.toLowerCase();
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
