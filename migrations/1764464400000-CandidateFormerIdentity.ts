import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The name, email and phone a person had before a correction (an API edit,
 * an import row). Staff emails rendered before it still carry the old
 * values, so the export and erasure look for those too. A trigger records
 * them, so no writer can forget to; the rows go with the candidate
 * (cascade) and are part of their data export.
 */
export class CandidateFormerIdentity1764464400000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE candidate_former_identity (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        candidate_id uuid NOT NULL REFERENCES candidate(id) ON DELETE CASCADE,
        full_name text NOT NULL,
        email text NOT NULL,
        phone text,
        replaced_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX candidate_former_identity_candidate ON candidate_former_identity (candidate_id)`);
    await queryRunner.query(`
      CREATE FUNCTION candidate_keeps_former_identity() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO candidate_former_identity (candidate_id, full_name, email, phone) VALUES (OLD.id, OLD.full_name, OLD.email, OLD.phone);
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER candidate_keeps_former_identity AFTER UPDATE OF full_name, email, phone ON candidate
      FOR EACH ROW WHEN (OLD.full_name IS DISTINCT FROM NEW.full_name OR lower(OLD.email) IS DISTINCT FROM lower(NEW.email)
                         OR OLD.phone IS DISTINCT FROM NEW.phone)
      EXECUTE FUNCTION candidate_keeps_former_identity()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER candidate_keeps_former_identity ON candidate`);
    await queryRunner.query(`DROP FUNCTION candidate_keeps_former_identity()`);
    await queryRunner.query(`DROP TABLE candidate_former_identity`);
  }
}
