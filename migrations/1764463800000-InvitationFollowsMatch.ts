import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A new-role invitation that would become `queued` again (a retry after a
 * temporary SMTP failure, a lease recovered) after its match was dismissed
 * is cancelled. Dismissing cancels the invitation while it waits; this
 * catches the one that was with a sender at that moment. The note matches
 * src/matching/match-decision.service.ts.
 */
export class InvitationFollowsMatch1764463800000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX vacancy_match_invitation_email ON vacancy_match (invitation_email_id) WHERE invitation_email_id IS NOT NULL`,
    );
    await queryRunner.query(`
      CREATE FUNCTION invitation_follows_match() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM vacancy_match WHERE invitation_email_id = NEW.id AND status = 'dismissed') THEN
          NEW.status := 'cancelled';
          NEW.last_error := 'The match was dismissed.';
        END IF;
        RETURN NEW;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER invitation_follows_match BEFORE UPDATE OF status ON email
      FOR EACH ROW WHEN (NEW.status = 'queued' AND NEW.template_key = 'new_role_invitation')
      EXECUTE FUNCTION invitation_follows_match()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER IF EXISTS invitation_follows_match ON email`);
    await queryRunner.query(`DROP FUNCTION IF EXISTS invitation_follows_match()`);
    await queryRunner.query(`DROP INDEX IF EXISTS vacancy_match_invitation_email`);
  }
}
