import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Which claim a row in `sending` belongs to. A sender's lease can run out
 * while its batch waits (a slow SMTP server); another instance then takes
 * the row over. The lease time alone could not tell the two claims apart,
 * so both could stamp and send the row. Stamping, sending and recording now
 * require the claim that took the row.
 */
export class EmailClaimToken1764464200000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE email ADD COLUMN claim_id uuid`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE email DROP COLUMN claim_id`);
  }
}
