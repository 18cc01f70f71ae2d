import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { gapSkillNamesSql } from '../skill/gap-skill-names.sql';
import { PoolStatus } from './medal-pool.service';

export interface MedalView {
  candidacyId: string;
  candidate: { id: string; fullName: string };
  vacancy: { id: string; title: string };
  medal: 'silver' | 'bronze';
  rank: number;
  /** Why they were not chosen, as skills: what to look for when they come back. */
  gapSkills: string[];
  awardedAt: string;
  /**
   * How they joined the pool: `enrolled` in the silver-medalist campaign;
   * `no_campaign` (consent valid, no campaign configured); `consent_requested`
   * (asked by email, waiting); `not_asked` (withdrew consent, opted out, or
   * no longer active); `not_eligible` (the campaign refused them); `pending`
   * (enrolment in progress).
   */
  pool: { status: PoolStatus; campaignId: string | null };
}

interface MedalRow {
  candidacy_id: string;
  candidate_id: string;
  full_name: string;
  vacancy_id: string;
  title: string;
  medal: 'silver' | 'bronze';
  rank: number;
  gap_skills: string[];
  awarded_at: Date;
  pool_status: PoolStatus;
  pool_campaign_id: string | null;
}

/** Medals of a vacancy (by rank) or of a candidate (newest first). */
@Injectable()
export class MedalViews {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  ofVacancy(vacancyId: string): Promise<MedalView[]> {
    return this.load(`m.vacancy_id = $1 ORDER BY m.rank, m.candidacy_id`, vacancyId);
  }

  ofCandidate(candidateId: string): Promise<MedalView[]> {
    return this.load(`m.candidate_id = $1 ORDER BY m.awarded_at DESC, m.candidacy_id`, candidateId);
  }

  private async load(whereAndOrder: string, id: string): Promise<MedalView[]> {
    const rows: MedalRow[] = await this.dataSource.query(
      `SELECT m.candidacy_id, m.candidate_id, c.full_name, m.vacancy_id, v.title, m.medal, m.rank, m.awarded_at,
              m.pool_status, m.pool_campaign_id,
              ${gapSkillNamesSql('m.candidacy_id')} AS gap_skills
       FROM medal m JOIN candidate c ON c.id = m.candidate_id JOIN vacancy v ON v.id = m.vacancy_id
       WHERE ${whereAndOrder}`,
      [id],
    );
    return rows.map((row) => ({
      candidacyId: row.candidacy_id,
      candidate: { id: row.candidate_id, fullName: row.full_name },
      vacancy: { id: row.vacancy_id, title: row.title },
      medal: row.medal,
      rank: row.rank,
      gapSkills: row.gap_skills,
      awardedAt: row.awarded_at.toISOString(),
      pool: { status: row.pool_status, campaignId: row.pool_campaign_id },
    }));
  }
}
