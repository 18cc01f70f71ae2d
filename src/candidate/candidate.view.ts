import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
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
  tags: string[];
  source: string | null;
  status: CandidateStatus;
  consent: ConsentState;
  createdAt: string;
  updatedAt: string;
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
    const [candidates, skills] = await Promise.all([
      this.dataSource.getRepository(Candidate).findBy({ id: In(ids) }),
      this.dataSource.query(
        `SELECT cs.candidate_id AS "candidateId", s.name, cs.level
         FROM candidate_skill cs JOIN skill s ON s.id = cs.skill_id
         WHERE cs.candidate_id = ANY($1::uuid[]) ORDER BY cs.level DESC NULLS LAST, s.name`,
        [ids],
      ) as Promise<{ candidateId: string; name: string; level: number | null }[]>,
    ]);
    const skillsOf = new Map<string, { name: string; level: number | null }[]>();
    for (const { candidateId, name, level } of skills) {
      skillsOf.set(candidateId, [...(skillsOf.get(candidateId) ?? []), { name, level }]);
    }
    const byId = new Map(candidates.map((c) => [c.id, c]));
    const now = this.clock.now();
    return ids.flatMap((id) => {
      const c = byId.get(id);
      return c ? [this.toView(c, skillsOf.get(id) ?? [], now)] : [];
    });
  }

  async loadOne(id: string): Promise<CandidateView | undefined> {
    return (await this.load([id]))[0];
  }

  private toView(c: Candidate, skills: CandidateView['skills'], now: Date): CandidateView {
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
      tags: c.tags,
      source: c.source,
      status: c.status,
      consent: consentState(c.consentExpiresAt, c.consentWithdrawnAt, now),
      createdAt: c.createdAt.toISOString(),
      updatedAt: c.updatedAt.toISOString(),
    };
  }
}
