import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const ENROLLMENT_STATUSES = ['active', 'completed', 'exited'] as const;
export type EnrollmentStatus = (typeof ENROLLMENT_STATUSES)[number];

/** Why a sequence ended early; the same list is a CHECK in the schema. */
export type ExitReason =
  | 'replied'
  | 'hired'
  | 'unsubscribed'
  | 'archived'
  | 'consent_expired'
  | 'consent_withdrawn'
  | 'no_consent'
  | 'campaign_archived'
  /** Its mail was suppressed when queued: the address bounced, complained or was unsubscribed. */
  | 'address_suppressed'
  /** The person was erased; the row stays, anonymous, for the campaign figures. */
  | 'erased';

/** One person's way through one campaign's steps. */
@Entity('enrollment')
export class Enrollment {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'campaign_id', type: 'uuid' }) campaignId: string;
  /** Null once the person is erased (the enrollment is kept for the figures). */
  @Column({ name: 'candidate_id', type: 'uuid', nullable: true }) candidateId: string | null;
  /** `audience`: the scheduler matched them; `manual`: someone enrolled them through the API. */
  @Column({ type: 'text' }) source: 'audience' | 'manual';
  @Column({ type: 'text' }) status: EnrollmentStatus;
  @Column({ name: 'exit_reason', type: 'text', nullable: true }) exitReason: ExitReason | null;
  /** Position of the step to send next (past the last step once completed). */
  @Column({ name: 'next_step', type: 'int' }) nextStep: number;
  @Column({ name: 'next_step_due_at', type: 'timestamptz', nullable: true }) nextStepDueAt: Date | null;
  @Column({ name: 'enrolled_at', type: 'timestamptz' }) enrolledAt: Date;
  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true }) endedAt: Date | null;
}
