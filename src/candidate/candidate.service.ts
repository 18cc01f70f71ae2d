import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { DomainError } from '../common/errors/domain-error';
import { isUniqueViolation } from '../common/errors/postgres-errors';
import { Clock } from '../common/time/clock';
import { Candidate } from './candidate.entity';
import { CandidateSkillWriter } from './candidate-skill-writer';
import { CandidateView, CandidateViews } from './candidate.view';
import { CreateCandidateDto, UpdateCandidateDto } from './dto/candidate.dto';
import { holdSkillNamesForWriting } from '../skill/skill.service';
import { AuditDetails, givenFields } from '../privacy/audit/audit-actions';
import { canonicalText } from '../common/validation/transforms';
import { OutboxService } from '../email/outbox.service';
import { AuditLog } from '../privacy/audit/audit-log.service';

const NOT_NULL_FIELDS = ['fullName', 'email', 'timeZone', 'locale', 'status', 'skills', 'tags'] as const;
/** Lists are cleared with [], not null: null had been taken as "no change". */
const LIST_FIELDS: ReadonlySet<string> = new Set(['skills', 'tags']);

@Injectable()
export class CandidateService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly skillWriter: CandidateSkillWriter,
    private readonly views: CandidateViews,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly audit: AuditLog,
    private readonly outbox: OutboxService,
  ) {}

  /** Creates the candidate and its audit entry, in one transaction. */
  async create(dto: CreateCandidateDto): Promise<CandidateView> {
    const now = this.clock.now();
    const id = await this.withDuplicateEmailCheck(dto.email, () =>
      this.dataSource.transaction(async (manager) => {
        await holdSkillNamesForWriting(manager);
        const { skills, ...fields } = dto;
        // Skill names before candidate rows, in every writer (the import too), so no two wait on each other in a circle.
        const [resolved] = skills ? await this.skillWriter.resolve(manager, [skills]) : [];
        const saved = await manager.getRepository(Candidate).save(
          manager.getRepository(Candidate).create({
            ...fields,
            timeZone: dto.timeZone ?? this.config.DEFAULT_TIME_ZONE,
            locale: dto.locale ?? this.config.DEFAULT_LOCALE,
            tags: normaliseTags(dto.tags ?? []),
            status: 'active',
            createdAt: now,
            updatedAt: now,
          }),
        );
        if (resolved) await this.skillWriter.write(manager, new Map([[saved.id, resolved]]));
        await this.audit.record({ action: 'candidate_created', candidateId: saved.id, details: { fields: givenFields(dto) } }, manager);
        return saved.id;
      }),
    );
    return (await this.views.loadOne(id))!;
  }

  /** `manager`: inside a transaction, read on its connection (and see its changes). */
  async get(id: string, manager?: EntityManager): Promise<CandidateView> {
    const view = await this.views.loadOne(id, manager);
    if (!view) throw notFound(id);
    return view;
  }

  /**
   * Updates the candidate and records the audit entry (by default: the fields given) in the same
   * transaction, with whatever `also` adds to it (the profile page's timeline entry).
   */
  async update(
    id: string, dto: UpdateCandidateDto,
    options: { auditDetails?: AuditDetails; also?: (manager: EntityManager) => Promise<void> } = {},
  ): Promise<CandidateView> {
    // Optional in a PATCH means "leave as it is"; null would clear a value every candidate must have.
    const cleared = NOT_NULL_FIELDS.filter((field) => dto[field] === null);
    if (cleared.length > 0) {
      throw DomainError.validation(cleared.map((field) => ({
        field, messages: [`${field} cannot be null; ${LIST_FIELDS.has(field) ? 'send [] to remove them all, or ' : ''}leave it out to keep the current value`],
      })));
    }
    await this.withDuplicateEmailCheck(dto.email, () =>
      this.dataSource.transaction(async (manager) => {
        await holdSkillNamesForWriting(manager);
        const { skills, tags, ...fields } = dto;
        // Skill names before the candidate row, as in create.
        const [resolved] = skills ? await this.skillWriter.resolve(manager, [skills]) : [];
        await this.lock(manager, id);
        await manager.getRepository(Candidate).update(id, {
          ...fields,
          ...(tags ? { tags: normaliseTags(tags) } : {}),
          updatedAt: this.clock.now(),
        });
        if (resolved) await this.skillWriter.write(manager, new Map([[id, resolved]]));
        if (fields.email) await this.outbox.readdressPending(id, fields.email, manager);
        await this.audit.record({ action: 'candidate_updated', candidateId: id, details: options.auditDetails ?? { fields: givenFields(dto) } }, manager);
        await options.also?.(manager);
      }),
    );
    return this.get(id);
  }

  /** A hire ends nurture for the person: campaigns exit hired candidates and nurture is gated on `active`. */
  async markHired(manager: EntityManager, id: string): Promise<void> {
    await manager.query(`UPDATE candidate SET status = 'hired', updated_at = $2 WHERE id = $1`, [id, this.clock.now()]);
  }

  async lock(manager: EntityManager, id: string): Promise<void> {
    const found = await manager.query(`SELECT id FROM candidate WHERE id = $1 FOR UPDATE`, [id]);
    if (found.length === 0) throw notFound(id);
  }

  private async withDuplicateEmailCheck<T>(email: string | undefined, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (email && isUniqueViolation(error, 'candidate_email_unique')) {
        const [existing] = await this.dataSource.query(`SELECT id FROM candidate WHERE lower(email) = lower($1)`, [email]);
        throw new DomainError('CandidateEmailTaken', 'A candidate with this email already exists.', {
          existingId: existing?.id,
        });
      }
      throw error;
    }
  }
}

export function notFound(id: string): DomainError {
  return new DomainError('CandidateNotFound', `No candidate with id ${id}.`);
}

/**
 * Tags in the one form they are stored and searched in: lower case, one space between words,
 * compatibility forms folded and invisible characters dropped, so "Café" typed and "Cafe\u0301"
 * pasted, or "senior  dev" and "senior dev", are one tag.
 */
export function normaliseTags(tags: string[]): string[] {
  return [...new Set(tags.map((tag) => canonicalText(tag).toLowerCase()).filter(Boolean))];
}
