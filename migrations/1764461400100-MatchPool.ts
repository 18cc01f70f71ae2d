import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The part of the pool matching may rank, as a narrow table: one row per
 * candidate who may be contacted about roles (active, not unsubscribed,
 * consent on file and not withdrawn; the expiry is checked at query time),
 * with only what the ranking reads from the candidate row. Ranking a
 * vacancy whose required skills many people share reads a few thousand
 * of these rows instead of the wide candidate rows of everyone with those
 * skills, eligible or not: about three times fewer pages, and a table small
 * enough to stay in PostgreSQL's cache.
 *
 * candidate stays the source of truth. Statement-level triggers keep this
 * table in step, in the same transaction, whoever writes candidate (the API,
 * consent, unsubscribe, import, the skill-key triggers of the
 * CandidateSkillKeys migration), and deleting (or truncating) candidates
 * deletes their rows.
 * match_pool_rebuild() recomputes it all, for writes that bypass triggers
 * (a bulk load with session_replication_role = replica).
 *
 * skill_keys is the CandidateSkillKeys migration's column. The functions
 * read it when they run, not when they are created, so this migration may
 * run before that one (a new database); the first fill happens only if the
 * column is already there, and otherwise that migration's own backfill
 * (an UPDATE of every candidate) fills this table through the trigger.
 */
export class MatchPool1764461400100 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS intarray`);
    await queryRunner.query(`
      CREATE TABLE match_pool (
        -- No foreign key, on purpose: this is an index kept as a table, not data of its own (an export
        -- gives the person the candidate row and skills it is derived from); the delete trigger below
        -- removes a person's row with the person.
        candidate_id uuid PRIMARY KEY,
        skill_keys integer[] NOT NULL DEFAULT '{}',
        city text,
        country char(2),
        updated_at timestamptz NOT NULL,
        consent_expires_at timestamptz NOT NULL
      )`);

    // The same rule as nurture mail (campaign/nurture-eligibility.ts), without the clock.
    const eligible = `c.status = 'active' AND c.unsubscribed_at IS NULL AND c.consent_withdrawn_at IS NULL AND c.consent_expires_at IS NOT NULL`;
    const upsert = (source: string) => `
      INSERT INTO match_pool (candidate_id, skill_keys, city, country, updated_at, consent_expires_at)
      SELECT c.id, c.skill_keys, c.city, c.country, c.updated_at, c.consent_expires_at FROM ${source} c WHERE ${eligible}
      ON CONFLICT (candidate_id) DO UPDATE
        SET skill_keys = EXCLUDED.skill_keys, city = EXCLUDED.city, country = EXCLUDED.country,
            updated_at = EXCLUDED.updated_at, consent_expires_at = EXCLUDED.consent_expires_at
        WHERE (match_pool.skill_keys, match_pool.city, match_pool.country, match_pool.updated_at, match_pool.consent_expires_at)
              IS DISTINCT FROM (EXCLUDED.skill_keys, EXCLUDED.city, EXCLUDED.country, EXCLUDED.updated_at, EXCLUDED.consent_expires_at)`;
    await queryRunner.query(`
      CREATE FUNCTION match_pool_sync() RETURNS trigger
        LANGUAGE plpgsql
        AS $$
        BEGIN
          DELETE FROM match_pool p USING changed c WHERE p.candidate_id = c.id AND NOT (${eligible});
          ${upsert('changed')};
          RETURN NULL;
        END
        $$`);
    await queryRunner.query(`
      CREATE TRIGGER match_pool_after_insert AFTER INSERT ON candidate
        REFERENCING NEW TABLE AS changed
        FOR EACH STATEMENT EXECUTE FUNCTION match_pool_sync()`);
    await queryRunner.query(`
      CREATE TRIGGER match_pool_after_update AFTER UPDATE ON candidate
        REFERENCING NEW TABLE AS changed
        FOR EACH STATEMENT EXECUTE FUNCTION match_pool_sync()`);
    await queryRunner.query(`
      CREATE FUNCTION match_pool_forget() RETURNS trigger
        LANGUAGE plpgsql
        AS $$
        BEGIN
          DELETE FROM match_pool p USING gone g WHERE p.candidate_id = g.id;
          RETURN NULL;
        END
        $$`);
    await queryRunner.query(`
      CREATE TRIGGER match_pool_after_delete AFTER DELETE ON candidate
        REFERENCING OLD TABLE AS gone
        FOR EACH STATEMENT EXECUTE FUNCTION match_pool_forget()`);
    await queryRunner.query(`
      CREATE FUNCTION match_pool_clear() RETURNS trigger
        LANGUAGE plpgsql
        AS $$
        BEGIN
          TRUNCATE match_pool;
          RETURN NULL;
        END
        $$`);
    await queryRunner.query(`
      CREATE TRIGGER match_pool_after_truncate AFTER TRUNCATE ON candidate
        FOR EACH STATEMENT EXECUTE FUNCTION match_pool_clear()`);
    await queryRunner.query(`
      CREATE FUNCTION match_pool_rebuild() RETURNS void
        LANGUAGE plpgsql
        AS $$
        BEGIN
          DELETE FROM match_pool p WHERE NOT EXISTS (SELECT 1 FROM candidate c WHERE c.id = p.candidate_id AND ${eligible});
          ${upsert('candidate')};
        END
        $$`);
    const [{ ready }] = await queryRunner.query(
      `SELECT EXISTS (SELECT 1 FROM information_schema.columns
                      WHERE table_schema = current_schema() AND table_name = 'candidate' AND column_name = 'skill_keys') AS ready`,
    );
    if (ready) await queryRunner.query(`SELECT match_pool_rebuild()`);
    // After the first fill: one index build instead of a million index insertions.
    await queryRunner.query(`CREATE INDEX match_pool_skill_keys ON match_pool USING gin (skill_keys gin__int_ops)`);
    await queryRunner.query(`ALTER TABLE match_pool ALTER COLUMN skill_keys SET STATISTICS 1000`);
    await queryRunner.query(`ANALYZE match_pool`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER IF EXISTS match_pool_after_truncate ON candidate`);
    await queryRunner.query(`DROP TRIGGER IF EXISTS match_pool_after_delete ON candidate`);
    await queryRunner.query(`DROP TRIGGER IF EXISTS match_pool_after_update ON candidate`);
    await queryRunner.query(`DROP TRIGGER IF EXISTS match_pool_after_insert ON candidate`);
    await queryRunner.query(`DROP FUNCTION IF EXISTS match_pool_rebuild()`);
    await queryRunner.query(`DROP FUNCTION IF EXISTS match_pool_clear()`);
    await queryRunner.query(`DROP FUNCTION IF EXISTS match_pool_forget()`);
    await queryRunner.query(`DROP FUNCTION IF EXISTS match_pool_sync()`);
    await queryRunner.query(`DROP TABLE IF EXISTS match_pool`);
  }
}
