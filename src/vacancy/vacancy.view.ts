import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Seniority, VacancyStatus } from './vacancy-status';

export interface Contact {
  name: string;
  email: string;
}

export interface VacancyView {
  id: string;
  title: string;
  team: string | null;
  location: string | null;
  description: string | null;
  hiringManager: Contact;
  recruiter: Contact | null;
  criteria: { skills: { name: string; weight: number; required: boolean }[]; seniority: Seniority | null };
  expectedDecisionDate: string | null;
  status: VacancyStatus;
  openedAt: string | null;
  closedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** The columns every reader of a vacancy needs, dates as text (pg would turn a `date` into local midnight). */
export const VACANCY_COLUMNS = `v.id, v.title, v.team, v.location, v.description,
  v.hiring_manager_name, v.hiring_manager_email, v.recruiter_name, v.recruiter_email, v.seniority,
  v.expected_decision_date::text AS expected_decision_date, v.status, v.opened_at, v.closed_at, v.created_at, v.updated_at`;

export interface VacancyRow {
  id: string;
  title: string;
  team: string | null;
  location: string | null;
  description: string | null;
  hiring_manager_name: string;
  hiring_manager_email: string;
  recruiter_name: string | null;
  recruiter_email: string | null;
  seniority: Seniority | null;
  expected_decision_date: string | null;
  status: VacancyStatus;
  opened_at: Date | null;
  closed_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

/** Loads vacancies as the API shows them, in the order asked. */
@Injectable()
export class VacancyViews {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async load(ids: string[], manager: EntityManager = this.dataSource.manager): Promise<VacancyView[]> {
    if (ids.length === 0) return [];
    const [rows, criteria]: [VacancyRow[], { vacancy_id: string; name: string; weight: number; required: boolean }[]] = await Promise.all([
      manager.query(`SELECT ${VACANCY_COLUMNS} FROM vacancy v WHERE v.id = ANY($1::uuid[])`, [ids]),
      manager.query(
        `SELECT vc.vacancy_id, s.name, vc.weight, vc.required
         FROM vacancy_criterion vc JOIN skill s ON s.id = vc.skill_id
         WHERE vc.vacancy_id = ANY($1::uuid[]) ORDER BY vc.required DESC, vc.weight DESC, s.name`,
        [ids],
      ),
    ]);
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.flatMap((id) => {
      const row = byId.get(id);
      if (!row) return [];
      const skills = criteria.filter((c) => c.vacancy_id === id).map(({ name, weight, required }) => ({ name, weight, required }));
      return [toView(row, skills)];
    });
  }
}

/** Who runs a vacancy's process: the recruiter, if it has one, and the hiring manager. */
export type VacancyStaff = Pick<VacancyView, 'recruiter' | 'hiringManager'>;

/** The staff from a vacancy row (or the staff columns of one). */
export function staffOf(
  row: Pick<VacancyRow, 'recruiter_name' | 'recruiter_email' | 'hiring_manager_name' | 'hiring_manager_email'>,
): VacancyStaff {
  return {
    hiringManager: { name: row.hiring_manager_name, email: row.hiring_manager_email },
    recruiter: row.recruiter_name && row.recruiter_email ? { name: row.recruiter_name, email: row.recruiter_email } : null,
  };
}

function toView(row: VacancyRow, skills: VacancyView['criteria']['skills']): VacancyView {
  return {
    id: row.id,
    title: row.title,
    team: row.team,
    location: row.location,
    description: row.description,
    ...staffOf(row),
    criteria: { skills, seniority: row.seniority },
    expectedDecisionDate: row.expected_decision_date,
    status: row.status,
    openedAt: row.opened_at?.toISOString() ?? null,
    closedAt: row.closed_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
