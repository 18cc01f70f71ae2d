import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { SkillService } from '../skill/skill.service';

export interface SkillLevel {
  name: string;
  level?: number | null;
}

/**
 * Replaces candidates' skills in one set-based statement pair, aliasing names on the way in.
 * candidate.skill_keys (what search reads) follows in the same transaction: statement-level
 * triggers on candidate_skill rebuild it for the candidates touched (CandidateSkillKeys migration).
 */
@Injectable()
export class CandidateSkillWriter {
  constructor(private readonly skills: SkillService) {}

  async replace(manager: EntityManager, skillsByCandidate: Map<string, SkillLevel[]>): Promise<void> {
    if (skillsByCandidate.size === 0) return;
    const raw = [...skillsByCandidate.values()].flat().map((skill) => skill.name);
    const canonical = await this.skills.canonicalNames(raw, manager);
    const ids = await this.skills.idsFor([...canonical.values()], manager);
    const candidateIds: string[] = [];
    const skillIds: number[] = [];
    const levels: (number | null)[] = [];
    for (const [candidateId, list] of skillsByCandidate) {
      const best = new Map<number, number | null>();
      for (const skill of list) {
        const id = ids.get(canonical.get(skill.name)!);
        if (id === undefined) continue;
        const level = skill.level ?? null;
        const previous = best.get(id);
        best.set(id, previous == null ? level : level == null ? previous : Math.max(previous, level));
      }
      for (const [skillId, level] of best) {
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
