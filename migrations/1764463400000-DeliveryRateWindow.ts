import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The global send rate as one row: how many emails were claimed in the
 * current one-second window. Counting recent rows in `email` instead reads
 * every dead index entry a busy outbox leaves behind until vacuum: at 100k
 * emails that count took most of a second per claim.
 */
export class DeliveryRateWindow1764463400000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE delivery_rate_window (
        id smallint PRIMARY KEY CHECK (id = 1),
        started_at timestamptz NOT NULL,
        claimed int NOT NULL CHECK (claimed >= 0)
      )`);
    await queryRunner.query(`INSERT INTO delivery_rate_window (id, started_at, claimed) VALUES (1, '-infinity', 0)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE delivery_rate_window`);
  }
}
