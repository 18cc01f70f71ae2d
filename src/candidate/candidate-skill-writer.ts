import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { SkillService } from '../skill/skill.service';
import { hasKey, levelKey } from './search/skill-keys';

export interface SkillLevel {
  name: string;
  level?: number | null;
}

/** A person's skills as stored: one row per skill id, the highest level given when a skill was named twice. */
export type ResolvedSkills = { skillId: number; level: number | null }[];

/** candidate.skill_keys for resolved skills, as the CandidateSkillKeys migration's candidate_skill_keys() computes them. */
export function skillKeysOf(skills: ResolvedSkills): number[] {
  return skills.flatMap(({ skillId, level }) => [hasKey(skillId), levelKey(skillId, level ?? 0)]).sort((a, b) => a - b);
}

/**
 * Replaces candidates' skills in one set-based statement pair, aliasing names on the way in.
 * candidate.skill_keys (what search reads) follows in the same transaction: statement-level
 * triggers on candidate_skill rebuild it for the candidates touched (CandidateSkillKeys migration),
 * rewriting a row only when its keys changed.
 */
@Injectable()
export class CandidateSkillWriter {
  constructor(private readonly skills: SkillService) {}

  async replace(manager: EntityManager, skillsByCandidate: Map<string, SkillLevel[]>): Promise<void> {
    const lists = [...skillsByCandidate.values()];
    const resolved = await this.resolve(manager, lists);
    await this.write(manager, new Map([...skillsByCandidate.keys()].map((candidateId, i) => [candidateId, resolved[i]])));
  }

  /** Each list's skills by id (creating skills that are new), in the order given. */
  async resolve(manager: EntityManager, lists: SkillLevel[][]): Promise<ResolvedSkills[]> {
    if (lists.length === 0) return [];
    const raw = lists.flat().map((skill) => skill.name);
    const canonical = await this.skills.canonicalNames(raw, manager);
    const ids = await this.skills.idsFor([...canonical.values()], manager);
    return lists.map((list) => {
      const best = new Map<number, number | null>();
      for (const skill of list) {
        const id = ids.get(canonical.get(skill.name)!);
        if (id === undefined) continue;
        const level = skill.level ?? null;
        const previous = best.get(id);
        best.set(id, previous == null ? level : level == null ? previous : Math.max(previous, level));
      }
      return [...best].map(([skillId, level]) => ({ skillId, level }));
    });
  }

  /** Stores resolved skills, replacing what each candidate had. */
  async write(manager: EntityManager, skillsByCandidate: Map<string, ResolvedSkills>): Promise<void> {
    if (skillsByCandidate.size === 0) return;
    const candidateIds: string[] = [];
    const skillIds: number[] = [];
    const levels: (number | null)[] = [];
    for (const [candidateId, list] of skillsByCandidate) {
      for (const { skillId, level } of list) {
        candidateIds.push(candidateId);
        skillIds.push(skillId);
        levels.push(level);
      }
    }
    await manager.query(`DELETE FROM candidate_skill WHERE candidate_id = ANY($1::uuid[])`, [
      [...skillsByCandidate.keys()],
    ]);
    if (candidateIds.length === 0) return;
    await manager.query(
      `INSERT INTO candidate_skill (candidate_id, skill_id, level)
       SELECT * FROM unnest($1::uuid[], $2::int[], $3::smallint[])`,
      [candidateIds, skillIds, levels],
    );
  }
}
