import { MigrationInterface, QueryRunner } from 'typeorm';

export class TemplateOverrides1764460900000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    // A recruiter's wording of one email in one language; without a row the shipped file applies.
    // The caps match the save-time validation (subject 200 characters, bodies 50 KB).
    await queryRunner.query(`
      CREATE TABLE template_override (
        key text NOT NULL CHECK (key ~ '^[a-z][a-z0-9_]{0,62}$'),
        locale text NOT NULL CHECK (locale IN ('sv', 'en')),
        subject text NOT NULL CHECK (char_length(subject) BETWEEN 1 AND 200),
        html text NOT NULL CHECK (octet_length(html) BETWEEN 1 AND 51200),
        text text NOT NULL CHECK (octet_length(text) BETWEEN 1 AND 51200),
        updated_at timestamptz NOT NULL,
        updated_by_key_id uuid REFERENCES api_key (id) ON DELETE SET NULL,
        PRIMARY KEY (key, locale)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS template_override`);
  }
}
