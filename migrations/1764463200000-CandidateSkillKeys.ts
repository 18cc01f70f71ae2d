import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Pool search at a million candidates: each candidate carries its skills as
 * integer keys in one array with an intarray GIN index, so "has these
 * skills" and "has this skill at level >= n" are posting-list intersections
 * instead of aggregating millions of candidate_skill rows; and the recency
 * index carries the same array, so "newest candidates with these skills"
 * is an index-only walk that stops after a page.
 *
 * Keys, per skill s with level l (unknown level = 0):
 *   s * 8             has s
 *   s * 8 + 1 + l     has s at exactly level l (offsets 1..6)
 *
 * candidate_skill stays the source of truth. Statement-level triggers keep
 * the array in step, in the same transaction, whoever writes candidate_skill
 * (CandidateSkillWriter, the alias merge in SkillService, bulk SQL).
 */
export class CandidateSkillKeys1764463200000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS intarray`);
    await queryRunner.query(`ALTER TABLE candidate ADD COLUMN skill_keys integer[] NOT NULL DEFAULT '{}'`);

    await queryRunner.query(`
      CREATE FUNCTION candidate_skill_keys(candidate uuid) RETURNS integer[]
        LANGUAGE sql STABLE
        AS $$
          SELECT coalesce(sort(array_agg(k)), '{}')
          FROM candidate_skill cs
          CROSS JOIN LATERAL (VALUES (cs.skill_id * 8), (cs.skill_id * 8 + 1 + coalesce(cs.level, 0))) AS v(k)
          WHERE cs.candidate_id = candidate
        $$`);
    await queryRunner.query(`
      CREATE FUNCTION candidate_skill_keys_refresh() RETURNS trigger
        LANGUAGE plpgsql
        AS $$
        BEGIN
          IF TG_OP = 'INSERT' THEN
            UPDATE candidate c SET skill_keys = candidate_skill_keys(c.id)
            WHERE c.id IN (SELECT candidate_id FROM changed_new);
          ELSIF TG_OP = 'DELETE' THEN
            UPDATE candidate c SET skill_keys = candidate_skill_keys(c.id)
            WHERE c.id IN (SELECT candidate_id FROM changed_old);
          ELSE
            UPDATE candidate c SET skill_keys = candidate_skill_keys(c.id)
            WHERE c.id IN (SELECT candidate_id FROM changed_new UNION SELECT candidate_id FROM changed_old);
          END IF;
          RETURN NULL;
        END
        $$`);
    await queryRunner.query(`
      CREATE TRIGGER candidate_skill_keys_after_insert AFTER INSERT ON candidate_skill
        REFERENCING NEW TABLE AS changed_new
        FOR EACH STATEMENT EXECUTE FUNCTION candidate_skill_keys_refresh()`);
    await queryRunner.query(`
      CREATE TRIGGER candidate_skill_keys_after_update AFTER UPDATE ON candidate_skill
        REFERENCING NEW TABLE AS changed_new OLD TABLE AS changed_old
        FOR EACH STATEMENT EXECUTE FUNCTION candidate_skill_keys_refresh()`);
    await queryRunner.query(`
      CREATE TRIGGER candidate_skill_keys_after_delete AFTER DELETE ON candidate_skill
        REFERENCING OLD TABLE AS changed_old
        FOR EACH STATEMENT EXECUTE FUNCTION candidate_skill_keys_refresh()`);

    await queryRunner.query(`
      UPDATE candidate c SET skill_keys = k.keys
      FROM (SELECT cs.candidate_id, sort(array_agg(v.k)) AS keys
            FROM candidate_skill cs
            CROSS JOIN LATERAL (VALUES (cs.skill_id * 8), (cs.skill_id * 8 + 1 + coalesce(cs.level, 0))) AS v(k)
            GROUP BY cs.candidate_id) k
      WHERE c.id = k.candidate_id`);
    await queryRunner.query(`CREATE INDEX candidate_skill_keys ON candidate USING gin (skill_keys gin__int_ops)`);
    // Newest first with the skills and the common filters on board: a search that walks by recency
    // (the dense tiers, and the list without skills) reads only this index, never the wide rows.
    await queryRunner.query(`DROP INDEX candidate_recency`);
    await queryRunner.query(`
      CREATE INDEX candidate_search_recency ON candidate (updated_at DESC, id DESC)
        INCLUDE (skill_keys, status, country, city, consent_expires_at, consent_withdrawn_at)`);
    // The planner picks "walk by recency" or "bitmap, then sort" per query from these element statistics.
    await queryRunner.query(`ALTER TABLE candidate ALTER COLUMN skill_keys SET STATISTICS 1000`);
    await queryRunner.query(`ANALYZE candidate`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const op of ['insert', 'update', 'delete']) {
      await queryRunner.query(`DROP TRIGGER IF EXISTS candidate_skill_keys_after_${op} ON candidate_skill`);
    }
    await queryRunner.query(`DROP FUNCTION IF EXISTS candidate_skill_keys_refresh()`);
    await queryRunner.query(`DROP FUNCTION IF EXISTS candidate_skill_keys(uuid)`);
    await queryRunner.query(`DROP INDEX IF EXISTS candidate_search_recency`);
    await queryRunner.query(`ALTER TABLE candidate DROP COLUMN IF EXISTS skill_keys`);
    await queryRunner.query(`CREATE INDEX candidate_recency ON candidate (updated_at DESC, id DESC)`);
  }
}
