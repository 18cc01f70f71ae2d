import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Principal } from '../common/auth/roles';
import { DomainError } from '../common/errors/domain-error';
import { Clock } from '../common/time/clock';
import { TimelineService } from '../timeline/timeline.service';
import { VacancyService } from '../vacancy/vacancy.service';
import { VacancyRow, VacancyView } from '../vacancy/vacancy.view';
import { cancelWaitingInvitations } from '../matching/waiting-invitations';
import { gapSkillNamesSql } from '../skill/gap-skill-names.sql';
import { checkDecision, Stage } from './candidacy-stages';
import { CandidacyRow, CandidacyService } from './candidacy.service';
import { CloseVacancyDto } from './dto/close-vacancy.dto';
import { FeedbackDeadlines } from './feedback-deadlines';
import { MedalPool } from './medal-pool.service';
import { MedalView, MedalViews } from './medal.view';
import { RelationshipSettings } from './relationship-settings.service';

export interface ClosedVacancy {
  vacancy: VacancyView;
  hiredCandidacyId: string | null;
  /** Candidacies still in process that closing rejected; each owes feedback like any rejection. */
  rejected: number;
  medals: MedalView[];
}

/**
 * Closing a vacancy. Filled: the hire is confirmed, the ranked finalists
 * who were not hired get medals (2 silver, 3+ bronze) and join the pool
 * with consent. Filled or cancelled: everyone still in process is rejected
 * and owed feedback by the ladder, so closing never ghosts anybody.
 */
@Injectable()
export class VacancyClosingService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly vacancies: VacancyService,
    private readonly candidacies: CandidacyService,
    private readonly deadlines: FeedbackDeadlines,
    private readonly settings: RelationshipSettings,
    private readonly pool: MedalPool,
    private readonly medals: MedalViews,
    private readonly timeline: TimelineService,
    private readonly clock: Clock,
  ) {}

  async close(vacancyId: string, dto: CloseVacancyDto, principal: Principal): Promise<ClosedVacancy> {
    if (dto.outcome === 'cancelled' && dto.hiredCandidacyId) {
      throw DomainError.field('hiredCandidacyId', 'a cancelled vacancy has no hire; leave hiredCandidacyId out');
    }
    const now = this.clock.now();
    const { hiredCandidacyId, rejected } = await this.dataSource.transaction(async (manager) => {
      const vacancy = await this.vacancies.lock(manager, vacancyId);
      const allowed = dto.outcome === 'filled' ? ['open'] : ['draft', 'open'];
      if (!allowed.includes(vacancy.status)) {
        throw new DomainError('VacancyStateConflict', `The vacancy is ${vacancy.status}; only ${allowed.join(' or ')} vacancies can be ${dto.outcome}.`, {
          vacancyStatus: vacancy.status,
        });
      }
      if (dto.outcome === 'cancelled') {
        // Cancelled means nobody is hired; with a hire, it would also withhold the runners-up's medals.
        const [hired]: { id: string }[] = await manager.query(`SELECT id FROM candidacy WHERE vacancy_id = $1 AND outcome = 'hired' LIMIT 1`, [vacancyId]);
        if (hired) {
          throw new DomainError('VacancyStateConflict', 'Someone was hired for this vacancy: close it as filled, with hiredCandidacyId, instead.', {
            vacancyStatus: vacancy.status, hiredCandidacyId: hired.id,
          });
        }
      }
      const hire = dto.outcome === 'filled' ? await this.confirmHire(manager, vacancy, dto.hiredCandidacyId!, now, principal) : null;
      const rejected = await this.rejectRemaining(manager, vacancy, dto.outcome, now, principal);
      if (hire) await this.awardMedals(manager, vacancy, now, principal);
      await this.vacancies.markClosed(manager, vacancyId, dto.outcome, now);
      // Nobody is invited, after the fact, to a role that is gone.
      await cancelWaitingInvitations(manager, vacancyId, `The vacancy was ${dto.outcome}.`, now);
      return { hiredCandidacyId: hire?.id ?? null, rejected };
    });
    await this.pool.enrolPending({ vacancyId });
    return { vacancy: await this.vacancies.get(vacancyId), hiredCandidacyId, rejected, medals: await this.medals.ofVacancy(vacancyId) };
  }

  private async confirmHire(manager: EntityManager, vacancy: VacancyRow, candidacyId: string, now: Date, principal: Principal): Promise<CandidacyRow> {
    const [hire]: CandidacyRow[] = await manager.query(
      `SELECT id, candidate_id, vacancy_id, stage, outcome, finalist_rank FROM candidacy WHERE id = $1 AND vacancy_id = $2 FOR UPDATE`,
      [candidacyId, vacancy.id],
    );
    if (!hire) throw DomainError.field('hiredCandidacyId', 'hiredCandidacyId is not a candidacy of this vacancy');
    const [otherHire] = await manager.query(
      `SELECT id FROM candidacy WHERE vacancy_id = $1 AND outcome = 'hired' AND id <> $2`, [vacancy.id, hire.id],
    );
    if (otherHire) throw new DomainError('CandidacyStateConflict', 'Another candidacy of this vacancy is already hired.', { hiredCandidacyId: otherHire.id });
    if (hire.outcome === 'pending') {
      const check = checkDecision(hire, { outcome: 'hired' });
      if (!check.ok) throw new DomainError('CandidacyStateConflict', check.reason, { stage: hire.stage });
      await this.candidacies.applyDecision(manager, hire, {
        outcome: 'hired', finalistRank: check.finalistRank, reasons: [], promise: null, gapSkillIds: [], source: 'recruiter',
      }, now, principal.keyId);
    } else if (hire.outcome !== 'hired') {
      throw new DomainError('CandidacyStateConflict', `That candidacy was decided as ${hire.outcome}; it cannot be the hire.`, { outcome: hire.outcome });
    }
    // Every finalist needs a rank (or a plain rejection) before medals can be given out fairly.
    const undecided: { id: string }[] = await manager.query(
      `SELECT id FROM candidacy WHERE vacancy_id = $1 AND outcome = 'pending' AND stage IN ('final', 'offer') AND id <> $2 ORDER BY created_at`,
      [vacancy.id, hire.id],
    );
    if (undecided.length > 0) {
      throw new DomainError(
        'CandidacyStateConflict',
        `Decide the other finalists first (reject them with finalistRank 2 for silver, 3 or more for bronze): ${undecided.length} still pending.`,
        { candidacyIds: undecided.map((row) => row.id) },
      );
    }
    return hire;
  }

  /** One statement rejects everyone still in process; deadlines are opened for all of them at once. */
  private async rejectRemaining(
    manager: EntityManager, vacancy: VacancyRow, outcome: 'filled' | 'cancelled', now: Date, principal: Principal,
  ): Promise<number> {
    // TypeORM answers an UPDATE with [rows, affected].
    const [rejected]: [{ id: string; candidate_id: string; stage: Stage }[], number] = await manager.query(
      `UPDATE candidacy SET outcome = 'rejected', decided_at = $2, decided_by_key_id = $3, decision_source = $4, updated_at = $2
       WHERE vacancy_id = $1 AND outcome = 'pending' RETURNING id, candidate_id, stage`,
      [vacancy.id, now, principal.keyId, outcome === 'filled' ? 'vacancy_filled' : 'vacancy_cancelled'],
    );
    const policy = await this.settings.feedbackPolicy(manager);
    await this.deadlines.open(manager, rejected.map((row) => ({ candidacyId: row.id, stage: row.stage })), now, policy);
    await this.timeline.recordMany(manager, 'decision_recorded', rejected.map((row) => ({
      candidateId: row.candidate_id,
      payload: {
        candidacyId: row.id, vacancyId: vacancy.id, outcome: 'rejected', stage: row.stage, finalistRank: null,
        reasons: [], gapSkills: [], promise: null, closedAs: outcome,
      },
    })), { occurredAt: now, actorKeyId: principal.keyId });
    return rejected.length;
  }

  private async awardMedals(manager: EntityManager, vacancy: VacancyRow, now: Date, principal: Principal): Promise<void> {
    // An erasure takes a person's candidacies, then the person. Taking the finalists first, in the same
    // order, waits for one under way, and the medals skip the candidacy it left without a person; read
    // unlocked, the medal's foreign key failed on the person it deleted meanwhile (a 500, the hire unsaved).
    await manager.query(
      `SELECT 1 FROM candidacy WHERE vacancy_id = $1 AND outcome = 'rejected' AND finalist_rank >= 2 ORDER BY id FOR UPDATE`,
      [vacancy.id],
    );
    const awarded: { candidacy_id: string; candidate_id: string; medal: 'silver' | 'bronze'; rank: number; gap_skills: string[] }[] =
      await manager.query(
        `WITH awarded AS (
           INSERT INTO medal (candidacy_id, candidate_id, vacancy_id, medal, rank, awarded_at, pool_status, pool_updated_at)
           SELECT id, candidate_id, vacancy_id, CASE WHEN finalist_rank = 2 THEN 'silver' ELSE 'bronze' END, finalist_rank, $2, 'pending', $2
           FROM candidacy WHERE vacancy_id = $1 AND outcome = 'rejected' AND finalist_rank >= 2 AND candidate_id IS NOT NULL
           RETURNING candidacy_id, candidate_id, medal, rank
         )
         SELECT a.*, ${gapSkillNamesSql('a.candidacy_id')} AS gap_skills
         FROM awarded a ORDER BY a.rank`,
        [vacancy.id, now],
      );
    for (const medal of awarded) {
      await this.timeline.record(manager, medal.candidate_id, 'medal_awarded', {
        vacancyId: vacancy.id, vacancyTitle: vacancy.title, medal: medal.medal, rank: medal.rank, gapSkills: medal.gap_skills,
      }, { occurredAt: now, actorKeyId: principal.keyId });
    }
    await this.pool.prepare(manager, awarded.map((medal) => ({ candidacyId: medal.candidacy_id, candidateId: medal.candidate_id })), now);
  }
}
