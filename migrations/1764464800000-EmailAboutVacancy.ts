import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The vacancy an email to a candidate is about (the confirmation of an
 * application, feedback, an invitation to a new role). Its Reply-To is the
 * vacancy's recruiter, else its hiring manager, looked up when the email
 * is sent (src/email/delivery/reply-to.ts): the row keeps the vacancy, not
 * a staff address, so a recruiter changed before sending gets the reply,
 * and a bounce since queuing is seen.
 *
 * Erasure needs nothing new: mail about a vacancy is never campaign mail,
 * so it is deleted with the person (src/privacy/erasure/anonymous-figures.ts),
 * and the column holds the vacancy's id, no data of the candidate.
 *
 * Mail queued before this migration is given its vacancy from the rows
 * that point to it (feedback, the invitation's match) or, for a
 * confirmation, its idempotency key, so that it too is answered to the
 * recruiter if it is sent after the deploy.
 */
export class EmailAboutVacancy1764464800000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE email ADD COLUMN vacancy_id uuid REFERENCES vacancy (id) ON DELETE SET NULL`);
    // Only candidate mail about a vacancy has one; the index serves the foreign key when a vacancy is deleted.
    await queryRunner.query(`CREATE INDEX email_vacancy ON email (vacancy_id) WHERE vacancy_id IS NOT NULL`);

    await queryRunner.query(
      `UPDATE email e SET vacancy_id = c.vacancy_id
       FROM candidacy c
       WHERE e.template_key = 'application_received' AND e.idempotency_key = 'candidacy:' || c.id || ':confirmation'`,
    );
    await queryRunner.query(
      `UPDATE email e SET vacancy_id = about.vacancy_id
       FROM (SELECT unnest(ARRAY[f.email_id, f.follow_up_email_id]) AS email_id, c.vacancy_id
             FROM feedback f JOIN candidacy c ON c.id = f.candidacy_id) about
       WHERE e.id = about.email_id`,
    );
    await queryRunner.query(
      `UPDATE email e SET vacancy_id = m.vacancy_id FROM vacancy_match m WHERE e.id = m.invitation_email_id`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX email_vacancy`);
    await queryRunner.query(`ALTER TABLE email DROP COLUMN vacancy_id`);
  }
}
