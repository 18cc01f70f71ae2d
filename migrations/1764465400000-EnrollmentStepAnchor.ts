import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When the wait for an enrollment's next step began: the enrolment for the
 * first step, the sending of the previous step after that. A step's delay
 * counts from it, so when a paused campaign's steps are edited the people
 * already waiting are rescheduled to the new delays; before, a delay cut
 * from 30 to 14 days still made everyone already enrolled wait 30.
 *
 * Enrollments already running take it from the previous step's email (the
 * campaign's email of that step to that person since they were enrolled);
 * where there is none, it stays unknown and their due time is left as it is.
 */
export class EnrollmentStepAnchor1764465400000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE enrollment ADD COLUMN step_anchor_at timestamptz`);
    await queryRunner.query(`
      UPDATE enrollment e SET step_anchor_at = CASE
        WHEN e.next_step = 1 THEN e.enrolled_at
        ELSE (SELECT max(m.created_at) FROM email m
              WHERE m.campaign_id = e.campaign_id AND m.campaign_step = e.next_step - 1 AND m.candidate_id = e.candidate_id
                AND m.created_at >= e.enrolled_at)
      END
      WHERE e.status = 'active'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE enrollment DROP COLUMN step_anchor_at`);
  }
}
