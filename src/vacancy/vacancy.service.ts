import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import { cursorFormat, decodeCursor, DEFAULT_PAGE_LIMIT, Page, toPage } from '../common/pagination/page';
import { Clock } from '../common/time/clock';
import { holdSkillNamesForWriting, SkillService } from '../skill/skill.service';
import { CreateVacancyDto, CriteriaDto, ListVacanciesQuery, UpdateVacancyDto } from './dto/vacancy.dto';
import { isClosed, VacancyStatus } from './vacancy-status';
import { staffOf, VACANCY_COLUMNS, VacancyRow, VacancyStaff, VacancyView, VacancyViews } from './vacancy.view';
import { localDate } from '../relationship/business-days';
import { AppConfig } from '../config/app-config';

const VACANCY_CURSOR = cursorFormat('vacancies', 'timestamp', 'uuid');

export function vacancyNotFound(id: string): DomainError {
  return new DomainError('VacancyNotFound', `No vacancy with id ${id}.`);
}

const DEFAULT_WEIGHT = 3;

/** Vacancies, their criteria and their status. Closing one (filled, cancelled) is the relationship module's use case. */
@Injectable()
export class VacancyService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly skills: SkillService,
    private readonly views: VacancyViews,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  /** Today in the organisation's time zone, as the decision dates are written. */
  private today(): string {
    return localDate(this.clock.now(), this.config.DEFAULT_TIME_ZONE);
  }

  async create(dto: CreateVacancyDto): Promise<VacancyView> {
    const now = this.clock.now();
    const status = dto.status ?? 'draft';
    if (status === 'open') requireDecisionDate(dto.expectedDecisionDate, this.today());
    const id = await this.dataSource.transaction(async (manager) => {
      await holdSkillNamesForWriting(manager);
      const [{ id }] = await manager.query(
        `INSERT INTO vacancy (title, team, location, description, hiring_manager_name, hiring_manager_email,
                              recruiter_name, recruiter_email, seniority, expected_decision_date, status, opened_at,
                              created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id`,
        [
          dto.title, dto.team ?? null, dto.location ?? null, dto.description ?? null,
          dto.hiringManager.name, dto.hiringManager.email, dto.recruiter?.name ?? null, dto.recruiter?.email ?? null,
          dto.criteria?.seniority ?? null, dto.expectedDecisionDate ?? null, status, status === 'open' ? now : null, now,
        ],
      );
      await this.replaceCriteria(manager, id, dto.criteria?.skills ?? []);
      return id as string;
    });
    return this.get(id);
  }

  async get(id: string, manager?: EntityManager): Promise<VacancyView> {
    const [view] = await this.views.load([id], manager);
    if (!view) throw vacancyNotFound(id);
    return view;
  }

  /** Whether there is a vacancy with this id: for a reference to one kept elsewhere (a campaign's audience). */
  async exists(id: string): Promise<boolean> {
    const [row] = await this.dataSource.query(`SELECT 1 FROM vacancy WHERE id = $1`, [id]);
    return Boolean(row);
  }

  /** Newest first. */
  async list(query: ListVacanciesQuery): Promise<Page<VacancyView>> {
    const limit = query.limit ?? DEFAULT_PAGE_LIMIT;
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    const where: string[] = [];
    if (query.status) where.push(`v.status = ${param(query.status)}`);
    if (query.team) where.push(`lower(v.team) = lower(${param(query.team)})`);
    if (query.q) where.push(`v.title ILIKE ${param(`%${query.q.replace(/[%_\\]/g, '\\$&')}%`)}`);
    if (query.skill) {
      const name = (await this.skills.canonicalNames([query.skill])).get(query.skill);
      where.push(`EXISTS (SELECT 1 FROM vacancy_criterion vc JOIN skill s ON s.id = vc.skill_id
                          WHERE vc.vacancy_id = v.id AND s.name = ${param(name)})`);
    }
    if (query.cursor) {
      const [createdAt, id] = decodeCursor(query.cursor, VACANCY_CURSOR);
      where.push(`(v.created_at, v.id) < (${param(createdAt)}::timestamptz, ${param(id)}::uuid)`);
    }
    const rows: { id: string; created_at: Date }[] = await this.dataSource.query(
      `SELECT v.id, v.created_at FROM vacancy v ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY v.created_at DESC, v.id DESC LIMIT ${param(limit + 1)}`,
      params,
    );
    const page = toPage(rows, limit, VACANCY_CURSOR, (last) => [last.created_at.toISOString(), last.id]);
    return { items: await this.views.load(page.items.map((row) => row.id)), nextCursor: page.nextCursor };
  }

  /** Any field while draft or open; `status: open` opens a draft. Closed vacancies are history and stay as they were. */
  async update(id: string, dto: UpdateVacancyDto): Promise<VacancyView> {
    await this.dataSource.transaction(async (manager) => {
      await holdSkillNamesForWriting(manager);
      const vacancy = await this.lock(manager, id);
      if (isClosed(vacancy.status)) {
        throw new DomainError('VacancyStateConflict', `The vacancy is ${vacancy.status}; a closed vacancy cannot change.`, {
          vacancyStatus: vacancy.status,
        });
      }
      const now = this.clock.now();
      const opening = dto.status === 'open' && vacancy.status === 'draft';
      const decisionDate = dto.expectedDecisionDate !== undefined ? dto.expectedDecisionDate : vacancy.expected_decision_date;
      // Checked when opening and when the date changes: a client sending the whole vacancy back unchanged is not refused.
      const dateChanged = dto.expectedDecisionDate !== undefined && dto.expectedDecisionDate !== vacancy.expected_decision_date;
      if (opening || (vacancy.status === 'open' && dateChanged)) requireDecisionDate(decisionDate, this.today());
      const set: string[] = [];
      const params: unknown[] = [id];
      const assign = (column: string, value: unknown) => set.push(`${column} = $${params.push(value)}`);
      if (dto.title !== undefined) assign('title', dto.title);
      if (dto.team !== undefined) assign('team', dto.team);
      if (dto.location !== undefined) assign('location', dto.location);
      if (dto.description !== undefined) assign('description', dto.description);
      if (dto.hiringManager) {
        assign('hiring_manager_name', dto.hiringManager.name);
        assign('hiring_manager_email', dto.hiringManager.email);
      }
      if (dto.recruiter !== undefined) {
        assign('recruiter_name', dto.recruiter?.name ?? null);
        assign('recruiter_email', dto.recruiter?.email ?? null);
      }
      if (dto.expectedDecisionDate !== undefined) assign('expected_decision_date', dto.expectedDecisionDate);
      if (dto.criteria) assign('seniority', dto.criteria.seniority ?? null);
      if (opening) {
        assign('status', 'open');
        assign('opened_at', now);
      }
      assign('updated_at', now);
      await manager.query(`UPDATE vacancy SET ${set.join(', ')} WHERE id = $1`, params);
      if (dto.criteria) await this.replaceCriteria(manager, id, dto.criteria.skills ?? []);
    });
    return this.get(id);
  }

  /** Row lock for a change that depends on the vacancy's status. */
  async lock(manager: EntityManager, id: string): Promise<VacancyRow> {
    const [row] = await manager.query(`SELECT ${VACANCY_COLUMNS} FROM vacancy v WHERE v.id = $1 FOR UPDATE`, [id]);
    if (!row) throw vacancyNotFound(id);
    return row;
  }

  /** Share lock: the vacancy cannot close while a candidacy is being added or moved. */
  async lockShared(manager: EntityManager, id: string): Promise<VacancyRow> {
    const [row] = await manager.query(`SELECT ${VACANCY_COLUMNS} FROM vacancy v WHERE v.id = $1 FOR SHARE`, [id]);
    if (!row) throw vacancyNotFound(id);
    return row;
  }

  /** Called with the row locked by `lock`, from the use case that decided how the vacancy closes. */
  async markClosed(manager: EntityManager, id: string, status: Extract<VacancyStatus, 'filled' | 'cancelled'>, now: Date): Promise<void> {
    await manager.query(`UPDATE vacancy SET status = $2, closed_at = $3, updated_at = $3 WHERE id = $1`, [id, status, now]);
  }

  /** The vacancy's skill criteria by canonical name, most important first. */
  async criteria(manager: EntityManager, id: string): Promise<Map<string, { skillId: number; weight: number; required: boolean }>> {
    const rows: { name: string; skill_id: number; weight: number; required: boolean }[] = await manager.query(
      `SELECT s.name, vc.skill_id, vc.weight, vc.required FROM vacancy_criterion vc JOIN skill s ON s.id = vc.skill_id
       WHERE vc.vacancy_id = $1 ORDER BY vc.required DESC, vc.weight DESC, s.name`,
      [id],
    );
    return new Map(rows.map((row) => [row.name, { skillId: row.skill_id, weight: row.weight, required: row.required }]));
  }

  /** The staff of each vacancy (missing ids are absent), as they are now: the sender asks at send time. */
  async staff(ids: string[]): Promise<Map<string, VacancyStaff>> {
    if (ids.length === 0) return new Map();
    const rows: Pick<VacancyRow, 'id' | 'recruiter_name' | 'recruiter_email' | 'hiring_manager_name' | 'hiring_manager_email'>[] =
      await this.dataSource.query(
        `SELECT id, recruiter_name, recruiter_email, hiring_manager_name, hiring_manager_email FROM vacancy WHERE id = ANY($1::uuid[])`,
        [ids],
      );
    return new Map(rows.map((row) => [row.id, staffOf(row)]));
  }

  private async replaceCriteria(manager: EntityManager, id: string, skills: NonNullable<CriteriaDto['skills']>): Promise<void> {
    const canonical = await this.skills.canonicalNames(skills.map((skill) => skill.name), manager);
    const seen = new Map<string, number>();
    skills.forEach((skill, index) => {
      const name = canonical.get(skill.name)!;
      if (!name) throw DomainError.field(`criteria.skills.${index}.name`, 'name must contain a letter or digit');
      if (seen.has(name)) {
        throw DomainError.field(`criteria.skills.${index}.name`, `"${skill.name}" is the same skill as criterion ${seen.get(name)} (${name})`);
      }
      seen.set(name, index);
    });
    const ids = await this.skills.idsFor([...seen.keys()], manager);
    await manager.query(`DELETE FROM vacancy_criterion WHERE vacancy_id = $1`, [id]);
    if (skills.length === 0) return;
    await manager.query(
      `INSERT INTO vacancy_criterion (vacancy_id, skill_id, weight, required)
       SELECT $1, r.skill_id, r.weight, r.required FROM jsonb_to_recordset($2::jsonb) AS r(skill_id int, weight int, required boolean)`,
      [id, JSON.stringify(skills.map((skill) => ({
        skill_id: ids.get(canonical.get(skill.name)!),
        weight: skill.weight ?? DEFAULT_WEIGHT,
        required: skill.required ?? false,
      })))],
    );
  }
}

function requireDecisionDate(date: string | null | undefined, today: string): void {
  if (!date) {
    throw DomainError.field('expectedDecisionDate', 'an open vacancy needs an expectedDecisionDate: it is the date applicants are promised an answer by');
  }
  // A day already gone would break the promise in the very confirmation email that makes it.
  if (date < today) throw DomainError.field('expectedDecisionDate', `expectedDecisionDate ${date} is in the past (today is ${today})`);
}
