import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { CandidateService } from '../candidate/candidate.service';
import { Principal } from '../common/auth/roles';
import { DomainError } from '../common/errors/domain-error';
import { isUniqueViolation } from '../common/errors/postgres-errors';
import { Clock } from '../common/time/clock';
import { OutboxService } from '../email/outbox.service';
import { TimelineService } from '../timeline/timeline.service';
import { VacancyService } from '../vacancy/vacancy.service';
import { VacancyRow } from '../vacancy/vacancy.view';
import { checkDecision, Outcome, Stage, stageChangeConflict } from './candidacy-stages';
import { CandidacyView, CandidacyViews, CandidatePromise, DecisionReason } from './candidacy.view';
import { DecisionReasons } from './decision-reasons';
import { ChangeStageDto, CreateCandidacyDto, DecisionDto } from './dto/candidacy.dto';
import { FeedbackDeadlines } from './feedback-deadlines';
import { RelationshipSettings } from './relationship-settings.service';
import { recordGapSkills } from './gap-skills';
import { holdSkillNamesForWriting } from '../skill/skill.service';

export interface CandidacyRow {
  id: string;
  candidate_id: string;
  vacancy_id: string;
  stage: Stage;
  outcome: Outcome;
  finalist_rank: number | null;
  decided_at: Date | null;
}

export function candidacyNotFound(id: string): DomainError {
  return new DomainError('CandidacyNotFound', `No candidacy with id ${id}.`);
}

/** Recruiter name candidates see: the vacancy's recruiter, else its hiring manager. */
export const recruiterName = (vacancy: Pick<VacancyRow, 'recruiter_name' | 'hiring_manager_name'>) =>
  vacancy.recruiter_name ?? vacancy.hiring_manager_name;

/** Who reached which stage of which vacancy: applying, moving forward, and the decision. */
@Injectable()
export class CandidacyService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly candidates: CandidateService,
    private readonly vacancies: VacancyService,
    private readonly views: CandidacyViews,
    private readonly reasons: DecisionReasons,
    private readonly deadlines: FeedbackDeadlines,
    private readonly settings: RelationshipSettings,
    private readonly outbox: OutboxService,
    private readonly timeline: TimelineService,
    private readonly clock: Clock,
  ) {}

  /** A candidacy at `applied` gets the warm confirmation, with the vacancy's expected decision date, at once. */
  async create(dto: CreateCandidacyDto, principal: Principal): Promise<CandidacyView> {
    const now = this.clock.now();
    const stage = dto.stage ?? 'applied';
    const id = await this.dataSource.transaction(async (manager) => {
      const vacancy = await this.vacancies.lockShared(manager, dto.vacancyId);
      if (vacancy.status !== 'open') {
        throw new DomainError(
          'VacancyStateConflict',
          vacancy.status === 'draft'
            ? 'The vacancy is still a draft; open it before adding candidates.'
            : `The vacancy is ${vacancy.status}; it takes no more candidates.`,
          { vacancyStatus: vacancy.status },
        );
      }
      await this.candidates.lock(manager, dto.candidateId);
      const [created] = await manager.query(
        `INSERT INTO candidacy (candidate_id, vacancy_id, stage, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)
         ON CONFLICT ON CONSTRAINT candidacy_pair DO NOTHING RETURNING id`,
        [dto.candidateId, dto.vacancyId, stage, now],
      );
      if (!created) {
        const [existing] = await manager.query(
          `SELECT id FROM candidacy WHERE candidate_id = $1 AND vacancy_id = $2`, [dto.candidateId, dto.vacancyId],
        );
        throw new DomainError('CandidacyExists', 'The candidate already has a candidacy for this vacancy.', { existingId: existing?.id });
      }
      await this.recordStage(manager, created.id, null, stage, now, principal.keyId);
      await this.timeline.record(manager, dto.candidateId, 'candidacy_created', {
        candidacyId: created.id, vacancyId: vacancy.id, vacancyTitle: vacancy.title, stage,
      }, { occurredAt: now, actorKeyId: principal.keyId });
      if (stage === 'applied' && (await this.settings.feedbackPolicy(manager)).confirmation.enabled) {
        await this.outbox.enqueueForCandidates([{
          candidateId: dto.candidateId,
          templateKey: 'application_received',
          category: 'transactional',
          idempotencyKey: `candidacy:${created.id}:confirmation`,
          // "Just reply to this email and <recruiter> will get back to you": the reply goes to them.
          vacancyId: vacancy.id,
          data: {
            vacancy: { title: vacancy.title },
            decisionDate: vacancy.expected_decision_date,
            recruiter: { name: recruiterName(vacancy) },
          },
        }], manager);
      }
      return created.id as string;
    });
    return this.get(id);
  }

  async get(id: string): Promise<CandidacyView> {
    const [view] = await this.views.load([id]);
    if (!view) throw candidacyNotFound(id);
    return view;
  }

  /** Forward only, and only while undecided. The stage it is at already changes nothing: a second click is answered as the first. */
  async changeStage(id: string, dto: ChangeStageDto, principal: Principal): Promise<CandidacyView> {
    const now = this.clock.now();
    await this.dataSource.transaction(async (manager) => {
      const { candidacy } = await this.lockWithVacancy(manager, id);
      const conflict = stageChangeConflict(candidacy, dto.stage);
      if (conflict) throw stateConflict(conflict, candidacy);
      if (dto.stage === candidacy.stage) return;
      await manager.query(`UPDATE candidacy SET stage = $2, updated_at = $3 WHERE id = $1`, [id, dto.stage, now]);
      await this.recordStage(manager, id, candidacy.stage, dto.stage, now, principal.keyId);
      await this.timeline.record(manager, candidacy.candidate_id, 'stage_changed', {
        candidacyId: id, vacancyId: candidacy.vacancy_id, from: candidacy.stage, to: dto.stage,
      }, { occurredAt: now, actorKeyId: principal.keyId });
    });
    return this.get(id);
  }

  /** Records the outcome once. A rejection opens the feedback deadline its stage owes. */
  async decide(id: string, dto: DecisionDto, principal: Principal): Promise<CandidacyView> {
    if (dto.outcome !== 'rejected') {
      if (dto.reasons?.length) throw DomainError.field('reasons', 'reasons are given with a rejection only');
      if (dto.promise) throw DomainError.field('promise', 'a promise is given with a rejection only');
    }
    const now = this.clock.now();
    try {
      await this.dataSource.transaction(async (manager) => {
        await holdSkillNamesForWriting(manager);
        const { candidacy, vacancy } = await this.lockWithVacancy(manager, id);
        const check = checkDecision(candidacy, dto);
        if (!check.ok) throw check.kind === 'conflict' ? stateConflict(check.reason, candidacy) : DomainError.field(check.field, check.reason);
        const resolved = await this.reasons.resolve(manager, vacancy, dto.reasons ?? [], dto.promise);
        await this.applyDecision(manager, candidacy, {
          outcome: dto.outcome, finalistRank: check.finalistRank, reasons: resolved.reasons, promise: resolved.promise,
          gapSkillIds: resolved.gapSkillIds, source: 'recruiter',
        }, now, principal.keyId);
      });
    } catch (error) {
      if (isUniqueViolation(error, 'candidacy_rank_unique')) {
        throw new DomainError('CandidacyStateConflict', `Another finalist of this vacancy already has rank ${dto.finalistRank}.`);
      }
      if (isUniqueViolation(error, 'candidacy_one_hire')) {
        throw new DomainError('CandidacyStateConflict', 'The vacancy already has a hired candidate.');
      }
      throw error;
    }
    return this.get(id);
  }

  /** Writes a checked decision: the row, its gap skills, the deadline a rejection owes, the timeline entry. */
  async applyDecision(
    manager: EntityManager,
    candidacy: CandidacyRow,
    decision: {
      outcome: Exclude<Outcome, 'pending'>;
      finalistRank: number | null;
      reasons: DecisionReason[];
      promise: CandidatePromise | null;
      gapSkillIds: number[];
      source: 'recruiter' | 'vacancy_filled' | 'vacancy_cancelled';
    },
    now: Date,
    actorKeyId: string | null,
  ): Promise<void> {
    await manager.query(
      `UPDATE candidacy SET outcome = $2, finalist_rank = $3, reasons = $4, promise = $5, decided_at = $6,
                            decided_by_key_id = $7, decision_source = $8, updated_at = $6
       WHERE id = $1`,
      [candidacy.id, decision.outcome, decision.finalistRank, JSON.stringify(decision.reasons),
        decision.promise ? JSON.stringify(decision.promise) : null, now, actorKeyId, decision.source],
    );
    await recordGapSkills(manager, candidacy.id, decision.gapSkillIds, 'decision');
    if (decision.outcome === 'hired') await this.candidates.markHired(manager, candidacy.candidate_id);
    if (decision.outcome === 'rejected') {
      await this.deadlines.open(manager, [{ candidacyId: candidacy.id, stage: candidacy.stage }], now, await this.settings.feedbackPolicy(manager));
    }
    await this.timeline.record(manager, candidacy.candidate_id, 'decision_recorded', {
      candidacyId: candidacy.id, vacancyId: candidacy.vacancy_id, outcome: decision.outcome, stage: candidacy.stage,
      finalistRank: decision.finalistRank, reasons: decision.reasons,
      gapSkills: [...new Set(decision.reasons.flatMap((reason) => reason.gapSkills))], promise: decision.promise,
    }, { occurredAt: now, actorKeyId });
  }

  /**
   * The vacancy (shared) before the candidacy (exclusive): the order closing
   * a vacancy takes them in too, so the two never wait for each other.
   */
  async lockWithVacancy(manager: EntityManager, id: string): Promise<{ candidacy: CandidacyRow; vacancy: VacancyRow }> {
    const [ref] = await manager.query(`SELECT vacancy_id FROM candidacy WHERE id = $1`, [id]);
    if (!ref) throw candidacyNotFound(id);
    const vacancy = await this.vacancies.lockShared(manager, ref.vacancy_id);
    return { candidacy: await this.lock(manager, id), vacancy };
  }

  async lock(manager: EntityManager, id: string): Promise<CandidacyRow> {
    const [row] = await manager.query(
      // An erased person's candidacy stays only as an anonymous statistic: there is nothing left to act on.
      `SELECT id, candidate_id, vacancy_id, stage, outcome, finalist_rank, decided_at FROM candidacy
       WHERE id = $1 AND candidate_id IS NOT NULL FOR UPDATE`,
      [id],
    );
    if (!row) throw candidacyNotFound(id);
    return row;
  }

  private async recordStage(manager: EntityManager, id: string, from: Stage | null, to: Stage, at: Date, actorKeyId: string): Promise<void> {
    await manager.query(
      `INSERT INTO candidacy_stage_change (candidacy_id, from_stage, to_stage, changed_at, changed_by_key_id) VALUES ($1, $2, $3, $4, $5)`,
      [id, from, to, at, actorKeyId],
    );
  }
}

function stateConflict(detail: string, candidacy: CandidacyRow): DomainError {
  return new DomainError('CandidacyStateConflict', detail, { stage: candidacy.stage, outcome: candidacy.outcome });
}
