import { MigrationInterface, QueryRunner } from 'typeorm';

export class Timeline1764461050000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE touchpoint (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        candidate_id uuid NOT NULL REFERENCES candidate (id) ON DELETE CASCADE,
        type text NOT NULL CHECK (type ~ '^[a-z_]{3,40}$'),
        occurred_at timestamptz NOT NULL,
        payload jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(payload) = 'object'),
        actor_key_id uuid REFERENCES api_key (id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX touchpoint_candidate_time ON touchpoint (candidate_id, occurred_at DESC, id DESC)`);
    await queryRunner.query(`CREATE INDEX email_candidate_time ON email (candidate_id, created_at DESC, id DESC)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX email_candidate_time`);
    await queryRunner.query(`DROP TABLE touchpoint`);
  }
}
