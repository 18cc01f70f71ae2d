import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Role } from '../common/auth/roles';

@Entity('api_key')
export class ApiKey {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column() name: string;
  @Column({ type: 'text' }) role: Role;
  /** sha256 of the key: keys are long random strings, so a fast hash is enough. */
  @Column({ name: 'key_hash', select: false }) keyHash: string;
  /** The first characters, so people can tell keys apart without the secret. */
  @Column({ name: 'key_prefix' }) keyPrefix: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true }) revokedAt: Date | null;
}
