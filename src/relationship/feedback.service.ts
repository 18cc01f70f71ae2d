import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Principal } from '../common/auth/roles';
import { DomainError } from '../common/errors/domain-error';
import { IDEMPOTENCY_KEY_HEADER, requestFingerprint } from '../common/http/idempotency-key';
import { Clock } from '../common/time/clock';
import { AppConfig } from '../config/app-config';
import { CandidateEmailRequest, OutboxService } from '../email/outbox.service';
import { holdSkillNamesForWriting, SkillService } from '../skill/skill.service';
import { TimelineService } from '../timeline/timeline.service';
import { localDate } from './business-days';
import { STAGES } from './candidacy-stages';
import { CandidacyService } from './candidacy.service';
import { CandidatePromise, FEEDBACK_VIEW_COLUMNS, FeedbackView, FeedbackViewRow, toFeedbackView } from './candidacy.view';
import { GiveFeedbackDto } from './dto/feedback.dto';
import { FeedbackEmailTemplate } from './feedback-policy';
import { recordGapSkills } from './gap-skills';
import { RelationshipSettings } from './relationship-settings.service';

type FeedbackUnderKey = FeedbackViewRow & { request_fingerprint: string; due_on: string | null; due_at: Date | null };

function closedDeadline(givenAt: Date, closed: { due_on: string; due_at: Date } | undefined): GivenFeedback['closedDeadline'] {
  return closed ? { dueOn: closed.due_on, dueAt: closed.due_at.toISOString(), onTime: givenAt < closed.due_at } : null;
}

export interface GivenFeedback extends FeedbackView {
  candidacyId: string;
  /**
   * The deadline this feedback met (or missed); null when none was open, or when this was not the feedback owed
   * (about another stage, or an email where the policy owes a call): then the deadline stays open.
   */
  closedDeadline: { dueOn: string; dueAt: string; onTime: boolean } | null;
}

/**
 * Recording feedback actually given. Email feedback is the email: it is
 * queued from the stage's template with the giver's personal text. A call
 * can queue its written follow-up. Either closes the open deadline, if it is the feedback owed.
 */
@Injectable()
export class FeedbackService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly candidacies: CandidacyService,
    private readonly skills: SkillService,
    private readonly settings: RelationshipSettings,
    private readonly outbox: OutboxService,
    private readonly timeline: TimelineService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  /**
   * Records the feedback. With an idempotency key, a request repeated under the same key (a retry after a
   * timeout, a double click) answers with what the first recorded, and nothing is recorded or sent again.
   */
  async give(candidacyId: string, dto: GiveFeedbackDto, principal: Principal, idempotencyKey?: string): Promise<{ given: GivenFeedback; replayed: boolean }> {
    const now = this.clock.now();
    if (dto.channel === 'email' && dto.givenAt) throw DomainError.field('givenAt', 'email feedback is given when it is sent; leave givenAt out');
    if (dto.channel === 'email' && dto.writtenFollowUp) throw DomainError.field('writtenFollowUp', 'email feedback is already written');
    const givenAt = dto.givenAt ? new Date(dto.givenAt) : now;
    if (givenAt > now) throw DomainError.field('givenAt', 'givenAt cannot be in the future');
    return this.dataSource.transaction(async (manager) => {
      await holdSkillNamesForWriting(manager);
      const { candidacy, vacancy } = await this.candidacies.lockWithVacancy(manager, candidacyId);
      // Under the candidacy's lock, so a repeat sent while the first is still being recorded waits and finds it.
      const fingerprint = idempotencyKey === undefined ? null : requestFingerprint(dto);
      if (idempotencyKey !== undefined) {
        const earlier = await this.givenUnderKey(manager, candidacyId, idempotencyKey);
        if (earlier && earlier.fingerprint !== fingerprint) {
          throw new DomainError('IdempotencyKeyReused', `This ${IDEMPOTENCY_KEY_HEADER} was used for other feedback on this candidacy; send a new key.`);
        }
        if (earlier) return { given: earlier.given, replayed: true };
      }
      // Feedback tells someone why they were not chosen (the emails say so): only after a rejection.
      if (candidacy.outcome !== 'rejected') {
        throw new DomainError('CandidacyStateConflict', `Feedback follows a rejection; this candidacy is ${candidacy.outcome}. Record the decision first.`, {
          stage: candidacy.stage, outcome: candidacy.outcome,
        });
      }
      // A call earlier today may be recorded now; a date before the decision, or on an earlier day,
      // would make late feedback count as on time.
      if (candidacy.decided_at && givenAt < candidacy.decided_at) {
        throw DomainError.field('givenAt', `givenAt cannot be before the decision (${candidacy.decided_at.toISOString()})`);
      }
      const zone = this.config.DEFAULT_TIME_ZONE;
      if (localDate(givenAt, zone) < localDate(now, zone)) throw DomainError.field('givenAt', 'givenAt may be earlier today, not on an earlier day');
      const stage = dto.stage ?? candidacy.stage;
      if (STAGES.indexOf(stage) > STAGES.indexOf(candidacy.stage)) {
        throw DomainError.field('stage', `the candidate has not reached the ${stage} stage (they are at ${candidacy.stage})`);
      }
      const canonical = await this.skills.canonicalNames(dto.gapSkills ?? [], manager);
      const gapSkills = [...new Set([...canonical.values()].filter(Boolean))];
      const rung = (await this.settings.feedbackPolicy(manager)).rejection[stage];
      const [{ id }] = await manager.query(
        `INSERT INTO feedback (candidacy_id, stage, channel, summary, gap_skills, given_by, given_at, recorded_by_key_id, created_at,
                               idempotency_key, request_fingerprint)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
        [candidacyId, stage, dto.channel, dto.summary, gapSkills, dto.givenBy, givenAt, principal.keyId, now, idempotencyKey ?? null, fingerprint],
      );
      const [promise]: { promise: CandidatePromise | null }[] = await manager.query(`SELECT promise FROM candidacy WHERE id = $1`, [candidacyId]);
      const email = (template: FeedbackEmailTemplate, kind: string): CandidateEmailRequest => ({
        candidateId: candidacy.candidate_id,
        templateKey: template,
        category: 'transactional',
        idempotencyKey: `feedback:${id}:${kind}`,
        // A reply to feedback is for the people who ran the process, not a shared mailbox.
        vacancyId: vacancy.id,
        data: template === 'screening_feedback'
          ? { vacancy: { title: vacancy.title }, personalMessage: dto.summary, recruiter: { name: dto.givenBy } }
          : {
              vacancy: { title: vacancy.title }, summary: dto.summary, gapSkills, recruiter: { name: dto.givenBy },
              ...(promise.promise ? { promise: promise.promise.text } : {}),
            },
      });
      let emailId: string | null = null;
      let followUpEmailId: string | null = null;
      if (dto.channel === 'email') {
        const [queued] = await this.outbox.enqueueForCandidates([email(rung.emailTemplate, 'email')], manager);
        // Held back by the suppression list (the address bounced or complained), the feedback would reach nobody
        // while closing the deadline as given on time: nothing is recorded, and the recruiter is told why.
        if (queued.status === 'suppressed') {
          throw new DomainError(
            'CandidateEmailSuppressed',
            'The candidate\'s address is on the suppression list (it bounced or complained): email feedback would not reach them. ' +
              'Give it another way (a call) and record that channel.',
            { candidateId: candidacy.candidate_id },
          );
        }
        // A template override that cannot render for this person: stored as failed, it reaches nobody either.
        if (queued.status === 'failed') {
          throw new DomainError('TemplateInvalid', `The ${rung.emailTemplate} email cannot be rendered for this candidate; fix the template, or give the feedback another way.`);
        }
        emailId = queued.id;
      } else if (dto.writtenFollowUp ?? rung.writtenFollowUp) {
        [{ id: followUpEmailId }] = await this.outbox.enqueueForCandidates([email('feedback_followup', 'follow-up')], manager);
      }
      await manager.query(`UPDATE feedback SET email_id = $2, follow_up_email_id = $3 WHERE id = $1`, [id, emailId, followUpEmailId]);
      await this.addGapSkills(manager, candidacyId, gapSkills);
      // Only the feedback owed closes the deadline: about the stage it is for, and personal where the policy owes a
      // call (a call, video or meeting also answers an email rung). A short email to a finalist owed a call, or
      // feedback about an earlier stage, is recorded and the deadline stays open.
      // TypeORM answers an UPDATE with [rows, affected].
      const [[closed]]: [{ due_on: string; due_at: Date }[], number] = await manager.query(
        `UPDATE feedback_due SET closed_at = $3, feedback_id = $2
         WHERE candidacy_id = $1 AND closed_at IS NULL AND waived_at IS NULL AND stage = $4 AND (channel = 'email' OR $5 <> 'email')
         RETURNING due_on::text AS due_on, due_at`,
        [candidacyId, id, now, stage, dto.channel],
      );
      await this.timeline.record(manager, candidacy.candidate_id, 'feedback_given', {
        candidacyId, feedbackId: id, stage, channel: dto.channel, summary: dto.summary, gapSkills, givenBy: dto.givenBy,
      }, { occurredAt: givenAt, actorKeyId: principal.keyId });
      return {
        given: {
          id, candidacyId, stage, channel: dto.channel, summary: dto.summary, gapSkills, givenBy: dto.givenBy,
          givenAt: givenAt.toISOString(), emailId, followUpEmailId, closedDeadline: closedDeadline(givenAt, closed),
        },
        replayed: false,
      };
    });
  }

  /** The feedback recorded under an idempotency key, as its request was answered. */
  private async givenUnderKey(manager: EntityManager, candidacyId: string, key: string): Promise<{ given: GivenFeedback; fingerprint: string } | null> {
    const [row]: FeedbackUnderKey[] = await manager.query(
      `SELECT ${FEEDBACK_VIEW_COLUMNS}, f.request_fingerprint, d.due_on::text AS due_on, d.due_at
       FROM feedback f LEFT JOIN feedback_due d ON d.feedback_id = f.id
       WHERE f.candidacy_id = $1 AND f.idempotency_key = $2`,
      [candidacyId, key],
    );
    if (!row) return null;
    return {
      fingerprint: row.request_fingerprint,
      given: {
        ...toFeedbackView(row), candidacyId,
        closedDeadline: closedDeadline(row.givenAt, row.due_at ? { due_on: row.due_on!, due_at: row.due_at } : undefined),
      },
    };
  }

  private async addGapSkills(manager: EntityManager, candidacyId: string, names: string[]): Promise<void> {
    if (names.length === 0) return;
    const ids = await this.skills.idsFor(names, manager);
    await recordGapSkills(manager, candidacyId, [...ids.values()], 'feedback');
  }
}
