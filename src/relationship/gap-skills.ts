import { EntityManager } from 'typeorm';

/**
 * Records skills named as why someone was not chosen, each with whether (and
 * at what level) they had it then: matching counts a gap as closed only when
 * they gained the skill, or a higher level of it, since.
 */
export async function recordGapSkills(
  manager: EntityManager, candidacyId: string, skillIds: number[], source: 'decision' | 'feedback',
): Promise<void> {
  if (skillIds.length === 0) return;
  await manager.query(
    `INSERT INTO candidacy_gap_skill (candidacy_id, skill_id, source, held_then, level_then)
     SELECT cy.id, g.skill_id, $3, cs.skill_id IS NOT NULL, cs.level
     FROM candidacy cy
     CROSS JOIN unnest($2::int[]) AS g(skill_id)
     LEFT JOIN candidate_skill cs ON cs.candidate_id = cy.candidate_id AND cs.skill_id = g.skill_id
     WHERE cy.id = $1
     ON CONFLICT DO NOTHING`,
    [candidacyId, skillIds, source],
  );
}
