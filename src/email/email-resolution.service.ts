import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import { Clock } from '../common/time/clock';
import { EmailResolution } from './dto/resolve-email.dto';
import { EmailQueryService } from './email-query.service';
import { Email } from './email.entity';

/**
 * The person's decision about an email a stopped sender had handed to SMTP (`uncertain`): resending could
 * double it, dropping it could lose it, so neither happens by itself. `delivered` records it as sent at the
 * moment it was handed over; `resend` queues it again, due now (the suppression list and consent are
 * checked again when it is sent, as for any email).
 */
@Injectable()
export class EmailResolutionService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly emails: EmailQueryService,
    private readonly clock: Clock,
  ) {}

  async resolve(id: string, outcome: EmailResolution): Promise<Email> {
    const now = this.clock.now();
    const [, resolved] = await this.dataSource.query(
      outcome === 'delivered'
        ? `UPDATE email SET status = 'sent', sent_at = coalesce(smtp_started_at, $2), updated_at = $2
           WHERE id = $1 AND status = 'uncertain'`
        : `UPDATE email SET status = 'queued', next_attempt_at = $2, smtp_started_at = NULL, lease_until = NULL, updated_at = $2
           WHERE id = $1 AND status = 'uncertain'`,
      [id, now],
    );
    const email = await this.emails.get(id);
    if (resolved !== 1) {
      throw new DomainError('EmailStateConflict', `Only an uncertain email is resolved by hand; this one is ${email.status}.`, { emailStatus: email.status });
    }
    return email;
  }
}
