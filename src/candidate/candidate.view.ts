import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../common/time/clock';
import { PreparedStatement, runPrepared } from '../database/prepared-statement';
import { gapSkillNamesSql } from '../skill/gap-skill-names.sql';
import { Candidate, CandidateStatus } from './candidate.entity';
import { consentState, ConsentState } from './consent-state';

export interface CandidateView {
  id: string;
  fullName: string;
  email: string;
  phone: string | null;
  city: string | null;
  country: string | null;
  timeZone: string;
  locale: string;
  headline: string | null;
  profileUrl: string | null;
  skills: { name: string; level: number | null }[];
  /** Medals won as a ranked runner-up, newest first. */
  medals: CandidateMedal[];
  tags: string[];
  source: string | null;
  status: CandidateStatus;
  consent: ConsentState;
  createdAt: string;
  updatedAt: string;
}

export interface CandidateMedal {
  vacancyId: string;
  vacancyTitle: string;
  medal: 'silver' | 'bronze';
  rank: number;
  awardedAt: string;
  /** Why they were not chosen, as skills. */
  gapSkills: string[];
}

type CandidateViewRow = Candidate & { skills: CandidateView['skills']; medals: CandidateMedal[] };

/**
 * A page of candidates as the API shows them, skills and medals included,
 * in one statement: every search and list ends here, and three round trips
 * cost more than the JSON aggregation. Skills: highest level first; medals:
 * newest first (as MedalViews.ofCandidate orders them).
 */
export const CANDIDATE_VIEWS: PreparedStatement = {
  name: 'candidate_views',
  text: `
  SELECT c.id, c.full_name AS "fullName", c.email, c.phone, c.city, c.country, c.time_zone AS "timeZone", c.locale,
         c.headline, c.profile_url AS "profileUrl", c.tags, c.source, c.status,
         c.consent_expires_at AS "consentExpiresAt", c.consent_withdrawn_at AS "consentWithdrawnAt",
         c.created_at AS "createdAt", c.updated_at AS "updatedAt",
         coalesce((SELECT json_agg(json_build_object('name', s.name, 'level', cs.level) ORDER BY cs.level DESC NULLS LAST, s.name)
                   FROM candidate_skill cs JOIN skill s ON s.id = cs.skill_id WHERE cs.candidate_id = c.id), '[]') AS skills,
         coalesce((SELECT json_agg(json_build_object(
                            'vacancyId', m.vacancy_id, 'vacancyTitle', v.title, 'medal', m.medal, 'rank', m.rank,
                            'awardedAt', m.awarded_at,
                            'gapSkills', ${gapSkillNamesSql('m.candidacy_id')})
                          ORDER BY m.awarded_at DESC, m.candidacy_id)
                   FROM medal m JOIN vacancy v ON v.id = m.vacancy_id WHERE m.candidate_id = c.id), '[]') AS medals
  FROM candidate c WHERE c.id = ANY($1::uuid[])`,
};


/** Loads candidates as the API shows them, in the order asked. */
@Injectable()
export class CandidateViews {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  async load(ids: string[], manager: EntityManager = this.dataSource.manager): Promise<CandidateView[]> {
    if (ids.length === 0) return [];
    const rows: CandidateViewRow[] = await runPrepared(manager, CANDIDATE_VIEWS, [ids]);
    const byId = new Map(rows.map((row) => [row.id, row]));
    const now = this.clock.now();
    return ids.flatMap((id) => {
      const row = byId.get(id);
      return row ? [this.toView(row, now)] : [];
    });
  }

  async loadOne(id: string, manager?: EntityManager): Promise<CandidateView | undefined> {
    return (await this.load([id], manager))[0];
  }

  private toView(c: CandidateViewRow, now: Date): CandidateView {
    return {
      id: c.id,
      fullName: c.fullName,
      email: c.email,
      phone: c.phone,
      city: c.city,
      country: c.country,
      timeZone: c.timeZone,
      locale: c.locale,
      headline: c.headline,
      profileUrl: c.profileUrl,
      skills: c.skills,
      // JSON carries the database's timestamp text; the API speaks ISO 8601 in UTC with milliseconds.
      medals: c.medals.map((medal) => ({ ...medal, awardedAt: new Date(medal.awardedAt).toISOString() })),
      tags: c.tags,
      source: c.source,
      status: c.status,
      consent: consentState(c.consentExpiresAt, c.consentWithdrawnAt, now),
      createdAt: c.createdAt.toISOString(),
      updatedAt: c.updatedAt.toISOString(),
    };
  }
}
