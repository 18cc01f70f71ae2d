import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const CANDIDATE_STATUSES = ['active', 'hired', 'opted_out', 'archived'] as const;
export type CandidateStatus = (typeof CANDIDATE_STATUSES)[number];

@Entity('candidate')
export class Candidate {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'full_name' }) fullName: string;
  @Column() email: string;
  @Column({ type: 'text', nullable: true }) phone: string | null;
  @Column({ type: 'text', nullable: true }) city: string | null;
  @Column({ type: 'char', length: 2, nullable: true }) country: string | null;
  @Column({ name: 'time_zone' }) timeZone: string;
  @Column() locale: string;
  @Column({ type: 'text', nullable: true }) headline: string | null;
  @Column({ name: 'profile_url', type: 'text', nullable: true }) profileUrl: string | null;
  @Column('text', { array: true }) tags: string[];
  @Column({ type: 'text', nullable: true }) source: string | null;
  @Column({ type: 'text' }) status: CandidateStatus;
  /** The latest talent-pool consent, kept here so `consent=valid` is a plain filter. */
  @Column({ name: 'consent_expires_at', type: 'timestamptz', nullable: true }) consentExpiresAt: Date | null;
  @Column({ name: 'consent_withdrawn_at', type: 'timestamptz', nullable: true }) consentWithdrawnAt: Date | null;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
