import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Whether the person had a gap skill when it was named, and at what level.
 * A gap counts as closed only when they gained the skill, or a higher level
 * of it, since: someone rejected for "more Go" with Go at level 4 has not
 * closed that gap by still having Go at level 4. Gaps named before this are
 * taken as not held then, as they were counted until now.
 */
export class GapSkillHeldThen1764464700000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE candidacy_gap_skill ADD COLUMN held_then boolean NOT NULL DEFAULT false,
                                       ADD COLUMN level_then smallint CHECK (level_then BETWEEN 1 AND 5)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE candidacy_gap_skill DROP COLUMN held_then, DROP COLUMN level_then`);
  }
}
