import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * On a database that had candidates before matching arrived, MatchPool left
 * its first fill to CandidateSkillKeys' backfill, which touches only people
 * with skills: eligible people without skills never entered match_pool, so
 * a promise made to one of them was never found. Filling it once more
 * catches them up (it changes nothing for rows already right).
 */
export class MatchPoolCatchUp1764463600000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`SELECT match_pool_rebuild()`);
  }

  async down(): Promise<void> {
    // Nothing to undo: the rows it added are what the triggers keep anyway.
  }
}
