import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CandidateService } from '../candidate/candidate.service';
import { Principal } from '../common/auth/roles';
import { DomainError } from '../common/errors/domain-error';
import { Clock } from '../common/time/clock';
import { dayOrInstant } from '../common/time/day-or-instant';
import { AppConfig } from '../config/app-config';
import { OutboxService } from '../email/outbox.service';
import { TimelineService } from '../timeline/timeline.service';
import { CandidateReply } from './candidate-reply.entity';
import { RecordReplyDto } from './dto/record-reply.dto';
import { EnrollmentExits } from './enrollment-exits';

export type ReplyView = CandidateReply & { exitedEnrollments: number };

/** Inbound replies: a person who answers is talking to us; the automatic sequence stops. */
@Injectable()
export class ReplyService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly candidates: CandidateService,
    private readonly exits: EnrollmentExits,
    private readonly outbox: OutboxService,
    private readonly timeline: TimelineService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  async record(candidateId: string, dto: RecordReplyDto, principal: Principal): Promise<ReplyView> {
    const now = this.clock.now();
    const receivedAt = dto.receivedAt ? dayOrInstant(dto.receivedAt, this.config.DEFAULT_TIME_ZONE, 'start') : now;
    if (receivedAt > now) throw DomainError.field('receivedAt', 'receivedAt cannot be in the future');
    return this.dataSource.transaction(async (manager) => {
      await this.candidates.lock(manager, candidateId);
      const repository = manager.getRepository(CandidateReply);
      const reply = await repository.save(
        repository.create({
          candidateId,
          receivedAt,
          channel: dto.channel,
          summary: dto.summary ?? null,
          recordedByKeyId: principal.keyId,
          createdAt: now,
        }),
      );
      await this.timeline.record(manager, candidateId, 'reply_received', { channel: dto.channel, summary: dto.summary ?? null }, {
        occurredAt: receivedAt,
        actorKeyId: principal.keyId,
      });
      const exitedEnrollments = await this.exits.exitOnReply(manager, candidateId, receivedAt, now);
      // Campaign mail still waiting (e.g. for the send window) stays unsent, also the last step of a sequence
      // that already completed; an invitation to a role is not campaign mail and still goes out. Only of the
      // sequences joined by the time of the reply, as above: a reply from before answers none of a later one.
      const answered = await this.exits.joinedBy(manager, candidateId, receivedAt);
      await this.outbox.cancelPending([candidateId], 'candidate replied', { enrollmentIds: answered }, manager);
      return { ...reply, exitedEnrollments };
    });
  }
}
