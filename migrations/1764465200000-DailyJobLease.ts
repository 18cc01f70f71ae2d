import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A daily job that spans many transactions (the privacy run) holds its day
 * by a lease it renews as it goes, instead of by a row that, once written,
 * kept the day taken even when the run died midway: a run killed by a
 * deploy or a crash left the rest of the day's work, erasures included, to
 * the next day. A claim made inside the run's own transaction (the feedback
 * digest) has no lease and is final, as before.
 */
export class DailyJobLease1764465200000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE job_run ADD COLUMN lease_token uuid, ADD COLUMN lease_until timestamptz`);
    await queryRunner.query(`ALTER TABLE job_run ADD CONSTRAINT job_run_lease CHECK ((lease_token IS NULL) = (lease_until IS NULL))`);
    // A privacy run claimed the old way and not finished (killed by this very deploy, say) would keep its day
    // taken for good: no lease ever runs out on it. It gets one that runs out as a run's lease would have.
    await queryRunner.query(
      `UPDATE job_run SET lease_token = gen_random_uuid(), lease_until = started_at + interval '5 minutes'
       WHERE job = 'privacy_daily' AND report IS NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE job_run DROP COLUMN lease_until, DROP COLUMN lease_token`);
  }
}
