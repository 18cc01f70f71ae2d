import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const CONSENT_SCOPES = ['talent_pool'] as const;
export const CONSENT_SOURCES = ['application_form', 'email_reply', 'verbal', 'email_link'] as const;
export type ConsentScope = (typeof CONSENT_SCOPES)[number];
export type ConsentSource = (typeof CONSENT_SOURCES)[number];

/** Evidence of consent: what text, how it was given, who recorded it, until when. Never edited, only withdrawn. */
@Entity('consent')
export class Consent {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'candidate_id' }) candidateId: string;
  @Column({ type: 'text' }) scope: ConsentScope;
  @Column({ name: 'text_version' }) textVersion: string;
  @Column({ type: 'text' }) source: ConsentSource;
  @Column({ name: 'recorded_by_key_id', type: 'uuid', nullable: true }) recordedByKeyId: string | null;
  @Column({ name: 'granted_at', type: 'timestamptz' }) grantedAt: Date;
  @Column({ name: 'expires_at', type: 'timestamptz' }) expiresAt: Date;
  @Column({ name: 'withdrawn_at', type: 'timestamptz', nullable: true }) withdrawnAt: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
