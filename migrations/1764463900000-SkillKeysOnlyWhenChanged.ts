import { MigrationInterface, QueryRunner } from 'typeorm';

const refresh = (guarded: boolean) => {
  const update = (ids: string) => guarded
    ? `UPDATE candidate c SET skill_keys = k.keys
       FROM (SELECT id, candidate_skill_keys(id) AS keys FROM candidate WHERE id IN (${ids})) k
       WHERE c.id = k.id AND c.skill_keys IS DISTINCT FROM k.keys;`
    : `UPDATE candidate c SET skill_keys = candidate_skill_keys(c.id) WHERE c.id IN (${ids});`;
  return `
    CREATE OR REPLACE FUNCTION candidate_skill_keys_refresh() RETURNS trigger
      LANGUAGE plpgsql
      AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          ${update('SELECT candidate_id FROM changed_new')}
        ELSIF TG_OP = 'DELETE' THEN
          ${update('SELECT candidate_id FROM changed_old')}
        ELSE
          ${update('SELECT candidate_id FROM changed_new UNION SELECT candidate_id FROM changed_old')}
        END IF;
        RETURN NULL;
      END
      $$`;
};

/**
 * The skill-keys triggers rewrite a candidate row only when its keys change.
 * Rewriting a row (its heap tuple and every index entry, trigram and GIN ones
 * included) is the dearest part of writing skills: an import that sets the
 * keys as it inserts the candidates, or an edit that saves the same skills,
 * now costs no second write of the row.
 */
export class SkillKeysOnlyWhenChanged1764463900000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(refresh(true));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(refresh(false));
  }
}
