import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * CandidateSkillPairs rewrote the candidate table, which leaves its
 * visibility map empty: until a vacuum, every search that walks by recency
 * (an index-only scan) would read the table's rows as well, and autovacuum
 * is not woken by a rewrite. VACUUM cannot run in a transaction, hence a
 * migration of its own; running it twice does no harm.
 */
export class CandidateVacuumAfterRewrite1764465300100 implements MigrationInterface {
  transaction = false;

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`VACUUM (ANALYZE) candidate`);
  }

  async down(): Promise<void> {
    // Nothing to undo.
  }
}
