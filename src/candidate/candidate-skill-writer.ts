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
 * Candidates' skills, set-based: names are resolved (aliased, new skills created) first, then
 * written. Every writer resolves before it locks candidate rows, so two writers never wait on each
 * other in a circle. candidate.skill_keys (what search reads) follows in the same transaction:
 * statement-level triggers on candidate_skill rebuild it for the candidates touched
 * (CandidateSkillKeys migration), rewriting a row only when its keys changed (SkillKeysOnlyWhenChanged).
 */
@Injectable()
export class CandidateSkillWriter {
  constructor(private readonly skills: SkillService) {}

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

  /**
   * Stores resolved skills, replacing what each candidate had. Only what changed is written: the skills
   * dropped are deleted, new or re-levelled ones upserted, so saving the same skills rewrites nothing.
   */
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
    await manager.query(
      `DELETE FROM candidate_skill cs
       WHERE cs.candidate_id = ANY($1::uuid[])
         AND NOT EXISTS (SELECT 1 FROM unnest($2::uuid[], $3::int[]) AS kept(candidate_id, skill_id)
                         WHERE kept.candidate_id = cs.candidate_id AND kept.skill_id = cs.skill_id)`,
      [[...skillsByCandidate.keys()], candidateIds, skillIds],
    );
    if (candidateIds.length === 0) return;
    await manager.query(
      `INSERT INTO candidate_skill (candidate_id, skill_id, level)
       SELECT * FROM unnest($1::uuid[], $2::int[], $3::smallint[])
       ON CONFLICT (candidate_id, skill_id) DO UPDATE SET level = EXCLUDED.level
         WHERE candidate_skill.level IS DISTINCT FROM EXCLUDED.level`,
      [candidateIds, skillIds, levels],
    );
  }
}
