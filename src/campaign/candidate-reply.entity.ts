import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const REPLY_CHANNELS = ['email', 'phone', 'other'] as const;
export type ReplyChannel = (typeof REPLY_CHANNELS)[number];

/** An inbound reply from a candidate; part of the person's data (export, erasure). */
@Entity('candidate_reply')
export class CandidateReply {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'candidate_id', type: 'uuid' }) candidateId: string;
  @Column({ name: 'received_at', type: 'timestamptz' }) receivedAt: Date;
  @Column({ type: 'text' }) channel: ReplyChannel;
  @Column({ type: 'text', nullable: true }) summary: string | null;
  @Column({ name: 'recorded_by_key_id', type: 'uuid', nullable: true }) recordedByKeyId: string | null;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
