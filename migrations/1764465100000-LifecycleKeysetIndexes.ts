import { MigrationInterface, QueryRunner } from 'typeorm';

/** The lifecycle indexes' columns before (down) and after (up); only the daily privacy job reads them. */
const INDEXES: { name: string; key: string; where: string }[] = [
  { name: 'candidate_consent_end', key: 'LEAST(consent_withdrawn_at, consent_expires_at)', where: 'consent_expires_at IS NOT NULL' },
  { name: 'candidate_without_consent', key: 'created_at', where: 'consent_expires_at IS NULL' },
  {
    name: 'candidate_withdrawn_without_consent', key: 'consent_withdrawn_at',
    where: 'consent_expires_at IS NULL AND consent_withdrawn_at IS NOT NULL',
  },
];

/**
 * The daily privacy job walks these orders in batches, each batch starting
 * after the last (key, id) of the one before (src/privacy/lifecycle/keyset-walk.ts).
 * With the id in the index that position is an index bound, so a batch
 * reads its own 500 rows however many people share one key: consents
 * recorded with the same bare-date expiry end at the same instant, and an
 * import batch's candidates share their created_at.
 */
export class LifecycleKeysetIndexes1764465100000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    for (const index of INDEXES) await this.replace(queryRunner, index.name, `${index.key}, id`, index.where);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const index of INDEXES) await this.replace(queryRunner, index.name, index.key, index.where);
  }

  private async replace(queryRunner: QueryRunner, name: string, columns: string, where: string): Promise<void> {
    await queryRunner.query(`DROP INDEX IF EXISTS ${name}`);
    await queryRunner.query(`CREATE INDEX ${name} ON candidate (${columns}) WHERE ${where}`);
  }
}
