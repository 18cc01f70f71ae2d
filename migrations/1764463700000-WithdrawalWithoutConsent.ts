import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * "Remove me" from someone who never gave pool consent is kept as
 * candidate.consent_withdrawn_at with no expiry on file; the daily erasure
 * after the grace period finds them through this index (the one it has for
 * ended consent covers only people with an expiry).
 */
export class WithdrawalWithoutConsent1764463700000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE INDEX candidate_withdrawn_without_consent ON candidate (consent_withdrawn_at)
        WHERE consent_expires_at IS NULL AND consent_withdrawn_at IS NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX IF EXISTS candidate_withdrawn_without_consent`);
  }
}
