import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * POST /candidacies/:id/feedback may carry an Idempotency-Key: the same key
 * for the same candidacy records (and emails) the feedback once. The
 * fingerprint tells a retry of the same request from a different request
 * that reuses the key.
 */
export class FeedbackIdempotencyKey1764464500000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE feedback ADD COLUMN idempotency_key text, ADD COLUMN request_fingerprint text`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX feedback_idempotency_key ON feedback (candidacy_id, idempotency_key) WHERE idempotency_key IS NOT NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX feedback_idempotency_key`);
    await queryRunner.query(`ALTER TABLE feedback DROP COLUMN idempotency_key, DROP COLUMN request_fingerprint`);
  }
}
