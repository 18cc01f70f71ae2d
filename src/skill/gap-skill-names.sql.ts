/**
 * The gap skills recorded on a candidacy (from its decision and its feedback), as a sorted text[] of
 * canonical names; `{}` when none. `candidacyId` is the SQL expression naming the candidacy.
 */
export const gapSkillNamesSql = (candidacyId: string) =>
  `coalesce((SELECT array_agg(gs.name ORDER BY gs.name) FROM candidacy_gap_skill gap JOIN skill gs ON gs.id = gap.skill_id
             WHERE gap.candidacy_id = ${candidacyId}), '{}')`;
