import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The enrolment a campaign email was sent for. A reply ends the sequences the person had joined by then,
 * and their waiting mail is cancelled by this id: the outbox had worked it out by reading the campaign
 * module's enrollment table. Emails already written take it from their idempotency key
 * (`campaign:<campaign>:enrollment:<enrollment>:step:<n>`, the step dispatcher's).
 */
export class EmailEnrollment1764465500000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE email ADD COLUMN enrollment_id uuid`);
    await queryRunner.query(`
      UPDATE email SET enrollment_id = split_part(idempotency_key, ':', 4)::uuid
      WHERE campaign_id IS NOT NULL AND idempotency_key ~ '^campaign:[^:]+:enrollment:[0-9a-f-]{36}:step:'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE email DROP COLUMN enrollment_id`);
  }
}
