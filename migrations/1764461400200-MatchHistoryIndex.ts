import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Matching reads the earlier processes of every person it ranks (how far
 * they got, their medals and gaps) for thousands of people at once. With
 * what it needs in the index, that is one ordered index-only scan merged
 * with the people ranked, instead of hashing the whole candidacy table for
 * every ranking.
 */
export class MatchHistoryIndex1764461400200 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX candidacy_candidate_history ON candidacy (candidate_id) INCLUDE (id, stage, vacancy_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX IF EXISTS candidacy_candidate_history`);
  }
}
