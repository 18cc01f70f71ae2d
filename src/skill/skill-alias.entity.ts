import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Skill } from './skill.entity';

@Entity('skill_alias')
export class SkillAlias {
  @PrimaryColumn() alias: string;
  @Column({ name: 'skill_id' }) skillId: number;
  @ManyToOne(() => Skill, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'skill_id' }) skill: Skill;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
