import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { SkillService } from '../skill/skill.service';
import { hasKey, levelKey } from './search/skill-keys';

export interface SkillLevel {
  name: string;
  level?: number | null;
}

/**
 * A person's skills by id, the highest level given when a skill was named twice. A level left out
 * (`undefined`, as in a LinkedIn export) keeps the one stored for that skill; `null` says it is unknown.
 */
export type ResolvedSkills = { skillId: number; level: number | null | undefined }[];

/** The higher of two levels given; a number beats null (unknown), which beats undefined (not given). */
function higherLevel(a: number | null | undefined, b: number | null | undefined): number | null | undefined {
  if (typeof a === 'number' && typeof b === 'number') return Math.max(a, b);
  if (typeof a === 'number' || typeof b === 'number') return typeof a === 'number' ? a : b;
  return a === null || b === null ? null : undefined;
}

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
      const best = new Map<number, number | null | undefined>();
      for (const skill of list) {
        const id = ids.get(canonical.get(skill.name)!);
        if (id === undefined) continue;
        best.set(id, best.has(id) ? higherLevel(best.get(id), skill.level) : skill.level);
      }
      return [...best].map(([skillId, level]) => ({ skillId, level }));
    });
  }

  /**
   * Stores resolved skills, replacing what each candidate had. Only what changed is written: the skills
   * dropped are deleted, new or re-levelled ones upserted, so saving the same skills rewrites nothing.
   */
  async write(manager: EntityManager, given: Map<string, ResolvedSkills>): Promise<void> {
    if (given.size === 0) return;
    const skillsByCandidate = await this.withStoredLevels(manager, given, 'id');
    const candidateIds: string[] = [];
    const skillIds: number[] = [];
    const levels: (number | null)[] = [];
    for (const [candidateId, list] of skillsByCandidate) {
      for (const { skillId, level } of list) {
        candidateIds.push(candidateId);
        skillIds.push(skillId);
        levels.push(level ?? null);
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

  /**
   * The lists with each level left out taken from what is stored for that person and skill (null
   * when there is none), keyed by candidate id or by lower-cased email (an import, before it knows ids).
   */
  async withStoredLevels(manager: EntityManager, lists: Map<string, ResolvedSkills>, by: 'id' | 'email'): Promise<Map<string, ResolvedSkills>> {
    const keys = [...lists].filter(([, list]) => list.some((skill) => skill.level === undefined)).map(([key]) => key);
    if (keys.length === 0) return lists;
    const rows: { key: string; skill_id: number; level: number | null }[] = await manager.query(
      by === 'id'
        ? `SELECT candidate_id::text AS key, skill_id, level FROM candidate_skill WHERE candidate_id = ANY($1::uuid[])`
        : `SELECT lower(c.email) AS key, cs.skill_id, cs.level
           FROM candidate c JOIN candidate_skill cs ON cs.candidate_id = c.id WHERE lower(c.email) = ANY($1::text[])`,
      [keys],
    );
    const stored = new Map(rows.map((row) => [`${row.key} ${row.skill_id}`, row.level]));
    return new Map([...lists].map(([key, list]) => [
      key, list.map(({ skillId, level }) => ({ skillId, level: level !== undefined ? level : (stored.get(`${key} ${skillId}`) ?? null) })),
    ]));
  }
}
