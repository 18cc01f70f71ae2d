import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const EMAIL_STATUSES = ['queued', 'held', 'sending', 'sent', 'failed', 'suppressed', 'cancelled', 'uncertain'] as const;
export type EmailStatus = (typeof EMAIL_STATUSES)[number];
export type EmailCategory = 'transactional' | 'nurture' | 'staff';

/** The outbox: every email is a row, rendered, before anything is sent. */
@Entity('email')
export class Email {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'candidate_id', type: 'uuid', nullable: true }) candidateId: string | null;
  @Column({ name: 'to_address' }) toAddress: string;
  @Column({ type: 'text' }) category: EmailCategory;
  @Column({ name: 'template_key' }) templateKey: string;
  @Column() locale: string;
  @Column() subject: string;
  @Column({ name: 'html_body' }) htmlBody: string;
  @Column({ name: 'text_body' }) textBody: string;
  @Column({ type: 'jsonb' }) headers: Record<string, string>;
  @Column({ name: 'idempotency_key' }) idempotencyKey: string;
  @Column({ type: 'text' }) status: EmailStatus;
  @Column() attempts: number;
  @Column({ name: 'next_attempt_at', type: 'timestamptz' }) nextAttemptAt: Date;
  @Column({ name: 'lease_until', type: 'timestamptz', nullable: true }) leaseUntil: Date | null;
  @Column({ name: 'smtp_started_at', type: 'timestamptz', nullable: true }) smtpStartedAt: Date | null;
  @Column({ name: 'last_error', type: 'text', nullable: true }) lastError: string | null;
  @Column({ name: 'message_id' }) messageId: string;
  @Column({ name: 'campaign_id', type: 'uuid', nullable: true }) campaignId: string | null;
  @Column({ name: 'campaign_step', type: 'int', nullable: true }) campaignStep: number | null;
  /** The campaign enrolment the email was sent for. */
  @Column({ name: 'enrollment_id', type: 'uuid', nullable: true }) enrollmentId: string | null;
  /** The vacancy a candidate email is about; its staff get the replies (delivery/reply-to.ts). */
  @Column({ name: 'vacancy_id', type: 'uuid', nullable: true }) vacancyId: string | null;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true }) sentAt: Date | null;
}
