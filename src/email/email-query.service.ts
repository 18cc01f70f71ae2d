import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import { cursorFormat, decodeCursor, DEFAULT_PAGE_LIMIT, Page, toPage } from '../common/pagination/page';
import { ListEmailsQuery } from './dto/list-emails.query';
import { Email } from './email.entity';

const EMAIL_CURSOR = cursorFormat('emails', 'timestamp', 'uuid');

export type EmailSummary = Omit<Email, 'htmlBody' | 'textBody' | 'headers' | 'toAddress' | 'leaseUntil' | 'smtpStartedAt'>;

/** Reading the outbox: lists for review, one email as rendered. */
@Injectable()
export class EmailQueryService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async list(query: ListEmailsQuery): Promise<Page<EmailSummary>> {
    const limit = query.limit ?? DEFAULT_PAGE_LIMIT;
    const builder = this.dataSource.getRepository(Email).createQueryBuilder('e')
      .select(['e.id', 'e.candidateId', 'e.category', 'e.templateKey', 'e.locale', 'e.subject', 'e.idempotencyKey',
        'e.status', 'e.attempts', 'e.nextAttemptAt', 'e.lastError', 'e.messageId', 'e.campaignId', 'e.campaignStep',
        'e.createdAt', 'e.updatedAt', 'e.sentAt'])
      .orderBy('e.created_at', 'DESC').addOrderBy('e.id', 'DESC').take(limit + 1);
    if (query.candidateId) builder.andWhere('e.candidate_id = :candidateId', { candidateId: query.candidateId });
    if (query.status) builder.andWhere('e.status = :status', { status: query.status });
    if (query.cursor) {
      const [createdAt, id] = decodeCursor(query.cursor, EMAIL_CURSOR);
      builder.andWhere('(e.created_at, e.id) < (:createdAt, :id)', { createdAt, id });
    }
    return toPage(await builder.getMany(), limit, EMAIL_CURSOR, (last) => [last.createdAt.toISOString(), last.id]);
  }

  async get(id: string): Promise<Email> {
    const email = await this.dataSource.getRepository(Email).findOneBy({ id });
    if (!email) throw new DomainError('EmailNotFound', `No email with id ${id}.`);
    return email;
  }
}
