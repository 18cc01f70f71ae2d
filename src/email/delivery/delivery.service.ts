import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { Clock } from '../../common/time/clock';
import { nextSendTime, parseSendWindow, SendWindow } from '../../common/time/send-window';
import { blockReason, RecipientState } from '../email-gate';
import { Email } from '../email.entity';
import { addressKey, SuppressionService } from '../suppression.service';
import { retryDelayMs } from './backoff';
import { DeliveryReport, requeued, RowResult, tally } from './delivery-report';
import { Mailbox, ReplyToResolver } from './reply-to';
import { SendOutcome, SmtpSender } from './smtp-sender';
import { randomUUID } from 'node:crypto';

/** How long a claim is ours; far longer than one chunk can take to send. */
const LEASE_MS = 120_000;
const MAX_CLAIM = 200;
/**
 * Rows handed to SMTP together (spread over the pooled connections). It
 * bounds how many can end `uncertain` if this process dies mid-send, and
 * amortises the two bookkeeping statements per chunk.
 */
export const SEND_CHUNK = 25;
/**
 * Chunks with SMTP at once: while one waits for its bookkeeping, the other
 * keeps the pooled connections busy. At most this many chunks can end
 * `uncertain` after a crash.
 */
export const CHUNKS_IN_FLIGHT = 2;

/** A claimed row cleared for sending, with the Reply-To worked out for it (if it is about a vacancy). */
type Sendable = Email & { replyTo?: Mailbox };

interface ScreenedBatch {
  /** The claim that took these rows: only it may stamp, send and record them. */
  claimId: string;
  /** Not to be sent now: suppressed, or back to the queue until the send window opens. */
  held: RowResult[];
  sendable: Sendable[];
}

/**
 * Sends due outbox rows. Rows are claimed with FOR UPDATE SKIP LOCKED and a
 * lease; each row is stamped `smtp_started_at` just before it is handed to
 * SMTP, so after a crash an expired lease tells "never handed over" (safe to
 * queue again) from "may have been delivered" (`uncertain`, for review).
 */
@Injectable()
export class DeliveryService {
  private readonly logger = new Logger(DeliveryService.name);
  private readonly window: SendWindow;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly smtp: SmtpSender,
    private readonly suppression: SuppressionService,
    private readonly replyTo: ReplyToResolver,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {
    this.window = parseSendWindow(config.SEND_WINDOW);
  }

  /**
   * Claims and sends until nothing is due or this second's rate budget is
   * spent. The next batch is claimed and screened while the current one is
   * with SMTP, so the database work and the sending overlap.
   */
  async deliverDue(): Promise<DeliveryReport> {
    const report: DeliveryReport = { sent: 0, retried: 0, failed: 0, suppressed: 0, deferred: 0 };
    if (!this.smtp.enabled) return report;
    await this.recoverExpiredLeases();
    let next = this.claimAndScreen();
    for (;;) {
      const batch = await next;
      if (batch.held.length + batch.sendable.length === 0) return report;
      next = this.claimAndScreen();
      // Awaited below; until then a failure must not count as an unhandled rejection.
      next.catch(() => undefined);
      try {
        await this.deliverBatch(batch, report);
      } catch (error) {
        // Hand the batch claimed ahead back at once instead of leaving it to its lease.
        const ahead = await next.catch(() => undefined);
        if (ahead) await this.record(ahead.claimId, [...ahead.held, ...ahead.sendable.map((email) => requeued(email.id))]);
        throw error;
      }
    }
  }

  private async claimAndScreen(): Promise<ScreenedBatch> {
    const claimId = randomUUID();
    return { claimId, ...(await this.screen(await this.claim(claimId))) };
  }

  /** Records the held rows, then sends the rest in chunks, CHUNKS_IN_FLIGHT at a time. */
  private async deliverBatch({ claimId, held, sendable }: ScreenedBatch, report: DeliveryReport): Promise<void> {
    await this.record(claimId, held);
    tally(report, held);
    const chunks: Sendable[][] = [];
    for (let i = 0; i < sendable.length; i += SEND_CHUNK) chunks.push(sendable.slice(i, i + SEND_CHUNK));
    const sendChunks = async () => {
      for (let chunk = chunks.shift(); chunk; chunk = chunks.shift()) {
        const results = await this.send(claimId, chunk);
        await this.record(claimId, results);
        tally(report, results);
      }
    };
    const lanes = await Promise.allSettled(Array.from({ length: CHUNKS_IN_FLIGHT }, sendChunks));
    const failed = lanes.find((lane): lane is PromiseRejectedResult => lane.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /**
   * Rows whose worker died: those never handed to SMTP go back to the queue;
   * those that were are `uncertain` — resending could double them, dropping
   * them could lose them, so a person decides.
   */
  async recoverExpiredLeases(): Promise<{ requeued: number; uncertain: number }> {
    const rows: { status: string }[] = await this.dataSource.query(
      `UPDATE email SET
         status = CASE WHEN smtp_started_at IS NULL THEN 'queued' ELSE 'uncertain' END,
         attempts = CASE WHEN smtp_started_at IS NULL THEN greatest(attempts - 1, 0) ELSE attempts END,
         last_error = CASE WHEN smtp_started_at IS NULL THEN last_error
           ELSE 'The sender stopped after handing this message to the SMTP server; it may or may not have been delivered.' END,
         lease_until = NULL, updated_at = $1
       WHERE status = 'sending' AND lease_until < $1
       RETURNING status`,
      [this.clock.now()],
    ).then(([changed]) => changed);
    const uncertain = rows.filter((row) => row.status === 'uncertain').length;
    if (uncertain > 0) this.logger.warn({ uncertain }, 'Emails of a stopped sender need review');
    return { requeued: rows.length - uncertain, uncertain };
  }

  /**
   * Claims due rows within this second's share of EMAIL_RATE_PER_SECOND.
   * The rate window row is locked for the claim, so instances take turns
   * and the rate holds across all of them.
   */
  private async claim(claimId: string): Promise<Email[]> {
    const now = this.clock.now();
    return this.dataSource.transaction(async (manager) => {
      // The window is current for a second from its start. One that seems to start up to a second
      // from now is current too (another instance's clock runs ahead; resetting it would double the
      // rate); one further ahead means a clock was moved back, and starts over.
      const [window]: { startedAt: Date; claimed: number; current: boolean }[] = await manager.query(
        `SELECT started_at AS "startedAt", claimed,
                started_at > $1::timestamptz - interval '1 second' AND started_at <= $1::timestamptz + interval '1 second' AS current
         FROM delivery_rate_window WHERE id = 1 FOR UPDATE`,
        [now],
      );
      const used = window.current ? window.claimed : 0;
      const budget = Math.min(MAX_CLAIM, this.config.EMAIL_RATE_PER_SECOND - used);
      if (budget <= 0) return [];
      const [rows] = await manager.query(
        `UPDATE email e SET status = 'sending', lease_until = $2, attempts = e.attempts + 1,
                smtp_started_at = NULL, updated_at = $1, claim_id = $4
         FROM (SELECT id FROM email WHERE status = 'queued' AND next_attempt_at <= $1
               ORDER BY next_attempt_at, id LIMIT $3 FOR UPDATE SKIP LOCKED) due
         WHERE e.id = due.id
         RETURNING e.id, e.candidate_id AS "candidateId", e.to_address AS "toAddress", e.category,
                   e.subject, e.html_body AS "htmlBody", e.text_body AS "textBody", e.headers,
                   e.message_id AS "messageId", e.attempts, e.vacancy_id AS "vacancyId"`,
        [now, new Date(now.getTime() + LEASE_MS), budget, claimId],
      );
      if (rows.length > 0) {
        await manager.query(`UPDATE delivery_rate_window SET started_at = $1, claimed = $2 WHERE id = 1`, [
          window.current ? window.startedAt : now,
          used + rows.length,
        ]);
      }
      return rows as Email[];
    });
  }

  /** Re-checks every claimed row at send time (suppressed, outside the send window, or sendable) and gives the sendable their Reply-To. */
  private async screen(batch: Email[]): Promise<Omit<ScreenedBatch, 'claimId'>> {
    if (batch.length === 0) return { held: [], sendable: [] };
    const now = this.clock.now();
    const recipients = await this.recipients(batch);
    const suppressions = await this.suppression.reasons(batch.map((email) => email.toAddress));
    const held: RowResult[] = [];
    const sendable: Email[] = [];
    for (const email of batch) {
      const recipient = email.candidateId ? recipients.get(email.candidateId) : undefined;
      const blocked = blockReason(recipient, email.category, now, suppressions.get(addressKey(email.toAddress)));
      if (blocked) {
        held.push({ id: email.id, status: 'suppressed', error: blocked, nextAttemptAt: null, refundAttempt: false });
        continue;
      }
      const opensAt = email.category === 'nurture' && recipient ? nextSendTime(now, recipient.timeZone, this.window) : now;
      if (opensAt > now) {
        held.push({ id: email.id, status: 'queued', error: null, nextAttemptAt: opensAt, refundAttempt: true });
        continue;
      }
      sendable.push(email);
    }
    const replyTo = await this.replyTo.forEmails(sendable);
    return { held, sendable: sendable.map((email) => ({ ...email, replyTo: replyTo.get(email.id) })) };
  }

  /** Stamps the chunk as handed over, then sends it concurrently over the pooled connections. */
  private async send(claimId: string, claimed: Sendable[]): Promise<RowResult[]> {
    const now = this.clock.now();
    // Only rows still ours: a batch claimed ahead may have waited long enough for its lease to run out and
    // another instance to take the rows over (with a claim of its own). The stamp renews the lease for the send.
    const [owned]: [{ id: string }[], number] = await this.dataSource.query(
      `UPDATE email SET smtp_started_at = $2, lease_until = $3
       WHERE id = ANY($1::uuid[]) AND status = 'sending' AND claim_id = $4 AND lease_until > $2 RETURNING id`,
      [claimed.map((email) => email.id), now, new Date(now.getTime() + LEASE_MS), claimId],
    );
    const ownedIds = new Set(owned.map((row) => row.id));
    const chunk = claimed.filter((email) => ownedIds.has(email.id));
    const outcomes = await Promise.all(
      chunk.map((email) =>
        this.smtp.send({
          to: email.toAddress,
          subject: email.subject,
          html: email.htmlBody,
          text: email.textBody,
          messageId: email.messageId,
          headers: email.headers,
          replyTo: email.replyTo,
        }),
      ),
    );
    // A retry waits from when the answer came, not from when the chunk began: a server that took its
    // 30 s timeout to fail a message had it retried at once.
    const answeredAt = this.clock.now();
    const results: RowResult[] = [];
    for (const [index, outcome] of outcomes.entries()) results.push(await this.resultOf(chunk[index], outcome, answeredAt));
    return results;
  }

  private async resultOf(email: Email, outcome: SendOutcome, now: Date): Promise<RowResult> {
    if (outcome.kind === 'sent') return { id: email.id, status: 'sent', error: null, nextAttemptAt: null, refundAttempt: false };
    if (outcome.kind === 'permanent') {
      if (outcome.recipientRefused) await this.suppression.suppress(email.toAddress, 'hard_bounce');
      return { id: email.id, status: 'failed', error: outcome.error, nextAttemptAt: null, refundAttempt: false };
    }
    if (email.attempts >= this.config.EMAIL_MAX_ATTEMPTS) {
      return { id: email.id, status: 'failed', error: `Gave up after ${email.attempts} attempts. ${outcome.error}`, nextAttemptAt: null, refundAttempt: false };
    }
    const retryAt = new Date(now.getTime() + retryDelayMs(email.attempts));
    return { id: email.id, status: 'queued', error: outcome.error, nextAttemptAt: retryAt, refundAttempt: false };
  }

  /** One statement for the chunk's outcomes; rows another claim has taken over are left to it. */
  private async record(claimId: string, results: RowResult[]): Promise<void> {
    if (results.length === 0) return;
    const now = this.clock.now();
    await this.dataSource.query(
      `UPDATE email e SET status = r.status, last_error = coalesce(r.error, e.last_error),
              next_attempt_at = coalesce(r.next_attempt_at, e.next_attempt_at),
              attempts = e.attempts - CASE WHEN r.refund THEN 1 ELSE 0 END,
              smtp_started_at = CASE WHEN r.status = 'queued' THEN NULL ELSE e.smtp_started_at END,
              sent_at = CASE WHEN r.status = 'sent' THEN $2::timestamptz ELSE e.sent_at END,
              lease_until = NULL, updated_at = $2
       FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, status text, error text, next_attempt_at timestamptz, refund boolean)
       WHERE e.id = r.id AND e.status IN ('sending', 'uncertain') AND e.claim_id = $3`,
      [
        JSON.stringify(results.map((r) => ({ id: r.id, status: r.status, error: r.error, next_attempt_at: r.nextAttemptAt, refund: r.refundAttempt }))),
        now,
        claimId,
      ],
    );
  }

  private async recipients(chunk: Email[]): Promise<Map<string, RecipientState & { timeZone: string }>> {
    const ids = chunk.map((email) => email.candidateId).filter((id): id is string => id !== null);
    if (ids.length === 0) return new Map();
    const rows = await this.dataSource.query(
      `SELECT id, status, time_zone AS "timeZone", unsubscribed_at AS "unsubscribedAt",
              consent_expires_at AS "consentExpiresAt", consent_withdrawn_at AS "consentWithdrawnAt"
       FROM candidate WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    return new Map(rows.map((row: RecipientState & { id: string; timeZone: string }) => [row.id, row]));
  }
}
