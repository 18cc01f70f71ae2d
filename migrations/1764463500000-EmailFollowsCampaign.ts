import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Campaign mail that would become `queued` again (a retry, a send-window
 * deferral, a lease recovered, a claimed batch handed back) while its
 * campaign is paused is held instead, and cancelled if it was archived.
 * Pausing moves the mail queued at that moment; this catches the mail that
 * was with a sender then. Not on INSERT: campaign mail is only queued while
 * the campaign is active, under a lock that pausing waits for. The notes
 * match src/campaign/campaign-mail.ts.
 */
export class EmailFollowsCampaign1764463500000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION email_follows_campaign() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        campaign_status text;
      BEGIN
        SELECT status INTO campaign_status FROM campaign WHERE id = NEW.campaign_id;
        IF campaign_status = 'paused' THEN
          NEW.status := 'held';
          NEW.last_error := 'Held while the campaign is paused.';
        ELSIF campaign_status = 'archived' THEN
          NEW.status := 'cancelled';
          NEW.last_error := 'The campaign was archived before this email was sent.';
        END IF;
        RETURN NEW;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER email_follows_campaign BEFORE UPDATE OF status ON email
      FOR EACH ROW WHEN (NEW.status = 'queued' AND NEW.campaign_id IS NOT NULL)
      EXECUTE FUNCTION email_follows_campaign()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER IF EXISTS email_follows_campaign ON email`);
    await queryRunner.query(`DROP FUNCTION IF EXISTS email_follows_campaign()`);
  }
}
