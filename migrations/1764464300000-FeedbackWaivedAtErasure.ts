import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A feedback deadline not yet due when the person is erased can no longer
 * be met (nobody is left to tell): it is waived, so it is neither owed nor
 * counted as ghosted once its date passes. One already late at erasure
 * stays as it was: that person was kept waiting.
 */
export class FeedbackWaivedAtErasure1764464300000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE feedback_due ADD COLUMN waived_at timestamptz`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE feedback_due DROP COLUMN waived_at`);
  }
}
