import { MigrationInterface, QueryRunner } from 'typeorm';

const REASONS = `'replied', 'hired', 'unsubscribed', 'archived', 'consent_expired', 'consent_withdrawn',
  'no_consent', 'campaign_archived', 'erased'`;

/** A sequence ends when its mail can no longer reach the person: the address bounced or complained. */
export class SuppressedAddressExit1764463300000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE enrollment DROP CONSTRAINT enrollment_exit_reason_check`);
    await queryRunner.query(
      `ALTER TABLE enrollment ADD CONSTRAINT enrollment_exit_reason_check CHECK (exit_reason IN (${REASONS}, 'address_suppressed'))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`UPDATE enrollment SET exit_reason = 'unsubscribed' WHERE exit_reason = 'address_suppressed'`);
    await queryRunner.query(`ALTER TABLE enrollment DROP CONSTRAINT enrollment_exit_reason_check`);
    await queryRunner.query(`ALTER TABLE enrollment ADD CONSTRAINT enrollment_exit_reason_check CHECK (exit_reason IN (${REASONS}))`);
  }
}
