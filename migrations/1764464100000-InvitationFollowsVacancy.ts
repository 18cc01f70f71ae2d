import { MigrationInterface, QueryRunner } from 'typeorm';

const follows = (closedVacancy: boolean) => `
  CREATE OR REPLACE FUNCTION invitation_follows_match() RETURNS trigger LANGUAGE plpgsql AS $$
  DECLARE
    reason text;
  BEGIN
    SELECT CASE WHEN m.status = 'dismissed' THEN 'The match was dismissed.'
                ${closedVacancy ? `WHEN v.status <> 'open' THEN 'The vacancy was ' || v.status || '.'` : ''}
           END
      INTO reason
      FROM vacancy_match m JOIN vacancy v ON v.id = m.vacancy_id
     WHERE m.invitation_email_id = NEW.id;
    IF reason IS NOT NULL THEN
      NEW.status := 'cancelled';
      NEW.last_error := reason;
    END IF;
    RETURN NEW;
  END $$`;

/**
 * An invitation that comes back for a retry after its vacancy closed is
 * cancelled, like one whose match was dismissed. Closing cancels the ones
 * still waiting (src/matching/waiting-invitations.ts); this catches the
 * one that was with a sender at that moment.
 */
export class InvitationFollowsVacancy1764464100000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(follows(true));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(follows(false));
  }
}
