import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A canonical skill name (normalised; see skill-name.ts). */
@Entity('skill')
export class Skill {
  @PrimaryGeneratedColumn() id: number;
  @Column() name: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
