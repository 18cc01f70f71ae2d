import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig, Locale } from '../config/app-config';
import { PublicUrls } from '../common/http/public-urls';
import { Signer } from '../common/secrets/signer';
import { Clock } from '../common/time/clock';
import { nextSendTime, parseSendWindow, SendWindow } from '../common/time/send-window';
import { TemplateKey } from '../template/template-keys';
import { RenderedEmail } from '../template/template-compiler';
import { EmailNotRenderable, TemplateRenderer } from '../template/template-renderer';
import { blockReason, RecipientState } from './email-gate';
import { EmailCategory, EmailStatus } from './email.entity';
import { addressKey, SuppressionService } from './suppression.service';
import { firstNameOf } from '../candidate/first-name';

export interface CandidateEmailRequest {
  candidateId: string;
  templateKey: TemplateKey;
  category: 'transactional' | 'nurture';
  /** Same key, same email: a second enqueue is a no-op (e.g. campaign:enrollment:step). */
  idempotencyKey: string;
  data?: Record<string, unknown>;
  campaignId?: string;
  campaignStep?: number;
  enrollmentId?: string;
  /**
   * The vacancy the email is about (feedback, a confirmation, an invitation to a role): replies go to its
   * recruiter, else its hiring manager, as they are when the email is sent. Left out, MAIL_REPLY_TO or MAIL_FROM.
   */
  vacancyId?: string;
}

export interface StaffEmailRequest {
  toAddress: string;
  locale: Locale;
  timeZone: string;
  templateKey: TemplateKey;
  idempotencyKey: string;
  data: Record<string, unknown>;
  /** Not before this time (default: now), e.g. a nightly digest held for working hours. */
  sendAt?: Date;
}

/**
 * Which of a person's waiting mail cancelPending cancels: all nurture mail; the campaign mail of some
 * enrolments (a reply ends the sequences joined by then, not a later one); or emails from some templates.
 */
export type PendingMail = 'nurture' | { enrollmentIds: string[] } | { templateKeys: TemplateKey[]; orNurture?: boolean };

export interface EnqueuedEmail {
  id: string;
  idempotencyKey: string;
  status: EmailStatus;
}

interface CandidateRow extends RecipientState {
  id: string;
  email: string;
  fullName: string;
  locale: Locale;
  timeZone: string;
}

interface OutboxRow {
  candidate_id: string | null;
  to_address: string;
  category: EmailCategory;
  template_key: string;
  locale: string;
  subject: string;
  html_body: string;
  text_body: string;
  headers: Record<string, string>;
  idempotency_key: string;
  status: EmailStatus;
  last_error: string | null;
  next_attempt_at: string;
  message_id: string;
  campaign_id: string | null;
  campaign_step: number | null;
  enrollment_id: string | null;
  vacancy_id: string | null;
}

/** How long the personal profile link in an email stays valid. */
const PROFILE_LINK_DAYS = 90;

/**
 * What is stored of an email: as rendered, or, when the template could not render it for its recipient
 * (EmailNotRenderable), empty parts and the reason it is stored as failed.
 */
type StoredEmail = RenderedEmail & { notRendered?: string };

/** Renders emails and writes them to the outbox; the delivery worker sends them. */
@Injectable()
export class OutboxService {
  private readonly logger = new Logger(OutboxService.name);
  private readonly window: SendWindow;
  private readonly messageDomain: string;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly renderer: TemplateRenderer,
    private readonly suppression: SuppressionService,
    private readonly signer: Signer,
    private readonly urls: PublicUrls,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {
    this.window = parseSendWindow(config.SEND_WINDOW);
    this.messageDomain = /@([^>\s]+)>?\s*$/.exec(config.MAIL_FROM)?.[1] ?? 'silverpool.local';
  }

  /** Links every candidate email may carry; opaque signed tokens, no personal data. */
  candidateLinks(candidateId: string): { unsubscribe: string; profile: string; stillInterested: string } {
    const now = this.clock.now().getTime() / 1000;
    const profile = this.urls.absolute(`/p/${this.signer.sign({ purpose: 'profile', candidateId, expiresAt: Math.floor(now + PROFILE_LINK_DAYS * 86400) })}`);
    return {
      unsubscribe: this.urls.absolute(`/u/${this.signer.sign({ purpose: 'unsubscribe', candidateId })}`),
      profile,
      // "Still interested / what's new" opens the same personal page, with the answer preselected.
      stillInterested: `${profile}?interest=open`,
    };
  }

  async enqueueForCandidates(requests: CandidateEmailRequest[], manager: EntityManager = this.dataSource.manager): Promise<EnqueuedEmail[]> {
    if (requests.length === 0) return [];
    const now = this.clock.now();
    const recipients = await this.loadRecipients(requests.map((r) => r.candidateId), manager);
    // On the caller's connection: a transaction that waited here for a second one from the pool could
    // wait forever once every connection is held by such a transaction.
    const suppressions = await this.suppression.reasons([...recipients.values()].map((r) => r.email), manager);
    const renderBatch = await this.renderer.batch(manager);
    const rows: OutboxRow[] = [];
    for (const request of requests) {
      const recipient = recipients.get(request.candidateId);
      if (!recipient) continue;
      const suppressed = suppressions.get(addressKey(recipient.email));
      const blocked = blockReason(recipient, request.category, now, suppressed);
      const links = this.candidateLinks(recipient.id);
      const data = {
        ...request.data,
        candidate: { firstName: firstNameOf(recipient.fullName), fullName: recipient.fullName },
        company: { name: this.config.COMPANY_NAME },
        links: {
          profile: links.profile,
          ...(request.category === 'nurture' ? { unsubscribe: links.unsubscribe, stillInterested: links.stillInterested } : {}),
          ...((request.data?.links as object) ?? {}),
        },
      };
      const rendered = await renderBatch.render(request.templateKey, recipient.locale, data, { timeZone: recipient.timeZone })
        .catch((error: unknown) => this.notRendered(error, request.templateKey, recipient.locale));
      const headers: Record<string, string> =
        request.category === 'nurture'
          ? { 'List-Unsubscribe': `<${links.unsubscribe}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' }
          : {};
      const sendAt = request.category === 'nurture' ? nextSendTime(now, recipient.timeZone, this.window) : now;
      rows.push(this.row(request, recipient.email, recipient.locale, rendered, headers, blocked, sendAt, request.candidateId));
    }
    return this.insert(rows, manager, now);
  }

  async enqueueForStaff(request: StaffEmailRequest, manager: EntityManager = this.dataSource.manager): Promise<EnqueuedEmail | undefined> {
    const now = this.clock.now();
    const suppressed = (await this.suppression.reasons([request.toAddress], manager)).get(addressKey(request.toAddress));
    const data = { ...request.data, company: { name: this.config.COMPANY_NAME } };
    const rendered = await this.renderer.render(request.templateKey, request.locale, data, { timeZone: request.timeZone }, manager)
      .catch((error: unknown) => this.notRendered(error, request.templateKey, request.locale));
    const row = this.row(
      { ...request, category: 'transactional' },
      request.toAddress, request.locale, rendered, {}, blockReason(undefined, 'staff', now, suppressed), request.sendAt ?? now, null,
    );
    return (await this.insert([{ ...row, category: 'staff' }], manager, now))[0];
  }

  /**
   * Cancels one email unless a sender already has it; true if it was cancelled. The row is locked whatever
   * its status, so a sender handing it back for a retry at this moment is either seen (and cancelled here)
   * or waits for the caller's transaction (and meets whatever that transaction decided, e.g. in a trigger).
   */
  async cancelIfUnsent(emailId: string, reason: string, manager: EntityManager = this.dataSource.manager): Promise<boolean> {
    const [, count] = await manager.query(
      `WITH locked AS (SELECT id, status FROM email WHERE id = $1 FOR UPDATE)
       UPDATE email e SET status = 'cancelled', last_error = $2, updated_at = $3
       FROM locked WHERE e.id = locked.id AND locked.status IN ('queued', 'held')`,
      [emailId, reason, this.clock.now()],
    );
    return count > 0;
  }

  /**
   * A person's address was corrected: mail still waiting goes to the new one. The old one was wrong,
   * perhaps someone else's, and the mail carries links that act as the person. A row a sender has
   * claimed meanwhile is left to it, as in cancelPending.
   */
  async readdressPending(candidateId: string, toAddress: string, manager: EntityManager): Promise<void> {
    await manager.query(
      `UPDATE email SET to_address = $2, updated_at = $3 WHERE candidate_id = $1 AND status IN ('queued', 'held') AND to_address <> $2`,
      [candidateId, toAddress, this.clock.now()],
    );
  }

  /**
   * Queued or held mail to these people that must not go out any more: all their nurture mail
   * (unsubscribe, consent withdrawn or expired), the campaign mail of some enrolments (a reply ends those,
   * not an invitation to a role), or mail of some templates. A row a sender claims meanwhile is left to it:
   * the UPDATE waits for the claim and then finds the row no longer queued or held.
   */
  async cancelPending(
    candidateIds: string[], reason: string, which: PendingMail, manager: EntityManager = this.dataSource.manager,
  ): Promise<number> {
    const mail = which === 'nurture' ? `category = 'nurture'`
      : 'enrollmentIds' in which ? `enrollment_id = ANY($4::uuid[])`
      : `(template_key = ANY($4::text[])${which.orNurture ? ` OR category = 'nurture'` : ''})`;
    const chosen = which === 'nurture' ? [] : ['enrollmentIds' in which ? which.enrollmentIds : which.templateKeys];
    const result = await manager.query(
      `UPDATE email SET status = 'cancelled', last_error = $2, updated_at = $3
       WHERE candidate_id = ANY($1::uuid[]) AND ${mail} AND status IN ('queued', 'held')`,
      [candidateIds, reason, this.clock.now(), ...chosen],
    );
    return result[1] ?? 0;
  }

  /** The operator's signal that an override breaks on real data: the key and locale, not the person. */
  private notRendered(error: unknown, templateKey: string, locale: string): StoredEmail {
    if (!(error instanceof EmailNotRenderable)) throw error;
    this.logger.warn({ templateKey, locale }, 'An email could not be rendered from its template; it is stored as failed');
    return { subject: '', html: '', text: '', notRendered: error.reason };
  }

  private row(
    request: {
      templateKey: string; idempotencyKey: string; campaignId?: string; campaignStep?: number; enrollmentId?: string; vacancyId?: string;
      category: EmailCategory;
    },
    toAddress: string,
    locale: string,
    rendered: StoredEmail,
    headers: Record<string, string>,
    blocked: string | null,
    sendAt: Date,
    candidateId: string | null,
  ): OutboxRow {
    const failure = rendered.notRendered ? `The template could not be rendered for this recipient: ${rendered.notRendered}` : null;
    return {
      candidate_id: candidateId,
      to_address: toAddress,
      category: request.category,
      template_key: request.templateKey,
      locale,
      subject: rendered.subject,
      html_body: rendered.html,
      text_body: rendered.text,
      headers,
      idempotency_key: request.idempotencyKey,
      status: blocked ? 'suppressed' : failure ? 'failed' : this.config.SMTP_URL ? 'queued' : 'held',
      last_error: blocked ?? failure,
      next_attempt_at: sendAt.toISOString(),
      message_id: `<${randomUUID()}@${this.messageDomain}>`,
      campaign_id: request.campaignId ?? null,
      campaign_step: request.campaignStep ?? null,
      enrollment_id: request.enrollmentId ?? null,
      vacancy_id: request.vacancyId ?? null,
    };
  }

  /** One statement for the whole batch; an idempotency key seen before keeps its first email. */
  private async insert(rows: OutboxRow[], manager: EntityManager, now: Date): Promise<EnqueuedEmail[]> {
    if (rows.length === 0) return [];
    const unique = [...new Map(rows.map((row) => [row.idempotency_key, row])).values()];
    await manager.query(
      `INSERT INTO email (candidate_id, to_address, category, template_key, locale, subject, html_body, text_body,
                          headers, idempotency_key, status, last_error, next_attempt_at, message_id,
                          campaign_id, campaign_step, enrollment_id, vacancy_id, created_at, updated_at)
       SELECT r.candidate_id, r.to_address, r.category, r.template_key, r.locale, r.subject, r.html_body, r.text_body,
              r.headers, r.idempotency_key, r.status, r.last_error, r.next_attempt_at, r.message_id,
              r.campaign_id, r.campaign_step, r.enrollment_id, r.vacancy_id, $2, $2
       FROM jsonb_to_recordset($1::jsonb) AS r(
         candidate_id uuid, to_address text, category text, template_key text, locale text, subject text,
         html_body text, text_body text, headers jsonb, idempotency_key text, status text, last_error text,
         next_attempt_at timestamptz, message_id text, campaign_id uuid, campaign_step int, enrollment_id uuid, vacancy_id uuid)
       ON CONFLICT (idempotency_key) DO NOTHING`,
      [JSON.stringify(unique), now],
    );
    return manager.query(
      `SELECT id, idempotency_key AS "idempotencyKey", status FROM email WHERE idempotency_key = ANY($1::text[])`,
      [unique.map((row) => row.idempotency_key)],
    );
  }

  private async loadRecipients(ids: string[], manager: EntityManager): Promise<Map<string, CandidateRow>> {
    const rows: CandidateRow[] = await manager.query(
      `SELECT id, email, full_name AS "fullName", locale, time_zone AS "timeZone", status,
              unsubscribed_at AS "unsubscribedAt", consent_expires_at AS "consentExpiresAt",
              consent_withdrawn_at AS "consentWithdrawnAt"
       FROM candidate WHERE id = ANY($1::uuid[])`,
      [[...new Set(ids)]],
    );
    return new Map(rows.map((row) => [row.id, row]));
  }
}
