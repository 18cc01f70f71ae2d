import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../common/time/clock';
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

interface MedalRow {
  candidate_id: string;
  vacancy_id: string;
  title: string;
  medal: 'silver' | 'bronze';
  rank: number;
  awarded_at: Date;
  gap_skills: string[];
}

/** Loads candidates as the API shows them, in the order asked. */
@Injectable()
export class CandidateViews {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  async load(ids: string[]): Promise<CandidateView[]> {
    if (ids.length === 0) return [];
    const [candidates, skills, medals] = await Promise.all([
      // Plain SQL: every search and list ends here, and the repository's query building and entity mapping cost more than the query.
      this.dataSource.query(
        `SELECT id, full_name AS "fullName", email, phone, city, country, time_zone AS "timeZone", locale, headline,
                profile_url AS "profileUrl", tags, source, status, consent_expires_at AS "consentExpiresAt",
                consent_withdrawn_at AS "consentWithdrawnAt", created_at AS "createdAt", updated_at AS "updatedAt"
         FROM candidate WHERE id = ANY($1::uuid[])`,
        [ids],
      ) as Promise<Candidate[]>,
      // The name by a per-row lookup rather than a join: measured faster at 1M candidates.
      this.dataSource.query(
        `SELECT cs.candidate_id AS "candidateId", (SELECT s.name FROM skill s WHERE s.id = cs.skill_id) AS name, cs.level
         FROM candidate_skill cs
         WHERE cs.candidate_id = ANY($1::uuid[]) ORDER BY cs.level DESC NULLS LAST, name`,
        [ids],
      ) as Promise<({ candidateId: string } & CandidateView['skills'][number])[]>,
      this.loadMedals(ids),
    ]);
    const skillsOf = groupBy(skills, ({ candidateId, name, level }) => [candidateId, { name, level }]);
    const medalsOf = groupBy(medals, ({ candidateId, ...medal }) => [candidateId, medal]);
    const byId = new Map(candidates.map((c) => [c.id, c]));
    const now = this.clock.now();
    return ids.flatMap((id) => {
      const c = byId.get(id);
      return c ? [this.toView(c, skillsOf.get(id) ?? [], medalsOf.get(id) ?? [], now)] : [];
    });
  }

  /** The medals of all the page's candidates in one statement, newest first (as MedalViews.ofCandidate orders them). */
  private async loadMedals(ids: string[]): Promise<({ candidateId: string } & CandidateMedal)[]> {
    const rows: MedalRow[] = await this.dataSource.query(
      `SELECT m.candidate_id, m.vacancy_id, v.title, m.medal, m.rank, m.awarded_at,
              coalesce((SELECT array_agg(s.name ORDER BY s.name) FROM candidacy_gap_skill g JOIN skill s ON s.id = g.skill_id
                        WHERE g.candidacy_id = m.candidacy_id), '{}') AS gap_skills
       FROM medal m JOIN vacancy v ON v.id = m.vacancy_id
       WHERE m.candidate_id = ANY($1::uuid[])
       ORDER BY m.awarded_at DESC, m.candidacy_id`,
      [ids],
    );
    return rows.map((row) => ({
      candidateId: row.candidate_id,
      vacancyId: row.vacancy_id,
      vacancyTitle: row.title,
      medal: row.medal,
      rank: row.rank,
      awardedAt: row.awarded_at.toISOString(),
      gapSkills: row.gap_skills,
    }));
  }

  async loadOne(id: string): Promise<CandidateView | undefined> {
    return (await this.load([id]))[0];
  }

  private toView(c: Candidate, skills: CandidateView['skills'], medals: CandidateMedal[], now: Date): CandidateView {
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
      skills,
      medals,
      tags: c.tags,
      source: c.source,
      status: c.status,
      consent: consentState(c.consentExpiresAt, c.consentWithdrawnAt, now),
      createdAt: c.createdAt.toISOString(),
      updatedAt: c.updatedAt.toISOString(),
    };
  }
}

/** Rows grouped by key, in their order. */
function groupBy<T, K, V>(rows: T[], entry: (row: T) => [K, V]): Map<K, V[]> {
  const groups = new Map<K, V[]>();
  for (const row of rows) {
    const [key, value] = entry(row);
    const group = groups.get(key);
    if (group) group.push(value);
    else groups.set(key, [value]);
  }
  return groups;
}
