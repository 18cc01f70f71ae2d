import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Nurture campaigns: a campaign, its ordered steps, who is enrolled and
 * where they are in the sequence, and the replies that end a sequence.
 */
export class NurtureCampaigns1764461100000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE campaign (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        audience jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(audience) = 'object'),
        status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'active', 'paused', 'archived')),
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX campaign_recency ON campaign (created_at DESC, id DESC)`);

    // Integer designators only: both luxon and PostgreSQL's interval input read these the same way.
    await queryRunner.query(`
      CREATE TABLE campaign_step (
        campaign_id uuid NOT NULL REFERENCES campaign (id) ON DELETE CASCADE,
        position integer NOT NULL CHECK (position BETWEEN 1 AND 50),
        template_key text NOT NULL CHECK (length(template_key) BETWEEN 1 AND 100),
        delay text NOT NULL CHECK (
          delay ~ '^P(\\d+Y)?(\\d+M)?(\\d+W)?(\\d+D)?(T(\\d+H)?(\\d+M)?(\\d+S)?)?$'
          AND delay NOT IN ('P', 'PT') AND delay !~ 'T$'),
        PRIMARY KEY (campaign_id, position)
      )`);

    await queryRunner.query(`
      CREATE TABLE enrollment (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        campaign_id uuid NOT NULL REFERENCES campaign (id) ON DELETE CASCADE,
        candidate_id uuid NOT NULL REFERENCES candidate (id) ON DELETE CASCADE,
        source text NOT NULL CHECK (source IN ('audience', 'manual')),
        status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'completed', 'exited')),
        exit_reason text CHECK (exit_reason IN (
          'replied', 'hired', 'unsubscribed', 'archived', 'consent_expired', 'consent_withdrawn',
          'no_consent', 'campaign_archived')),
        next_step integer NOT NULL DEFAULT 1 CHECK (next_step >= 1),
        next_step_due_at timestamptz,
        enrolled_at timestamptz NOT NULL,
        ended_at timestamptz,
        CHECK ((status = 'active') = (ended_at IS NULL)),
        CHECK ((status = 'active') = (next_step_due_at IS NOT NULL)),
        CHECK ((status = 'exited') = (exit_reason IS NOT NULL))
      )`);
    // At most one running sequence per person and campaign; finished ones stay as history.
    await queryRunner.query(
      `CREATE UNIQUE INDEX enrollment_one_active ON enrollment (campaign_id, candidate_id) WHERE status = 'active'`,
    );
    await queryRunner.query(
      `CREATE INDEX enrollment_due ON enrollment (campaign_id, next_step_due_at) WHERE status = 'active'`,
    );
    await queryRunner.query(`CREATE INDEX enrollment_candidate ON enrollment (candidate_id) WHERE status = 'active'`);
    // "Never enrolled in this campaign before" for the audience sweep, and the per-campaign list.
    await queryRunner.query(`CREATE INDEX enrollment_campaign_candidate ON enrollment (campaign_id, candidate_id)`);
    await queryRunner.query(`CREATE INDEX enrollment_campaign_recency ON enrollment (campaign_id, enrolled_at DESC, id DESC)`);

    await queryRunner.query(`
      CREATE TABLE candidate_reply (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        candidate_id uuid NOT NULL REFERENCES candidate (id) ON DELETE CASCADE,
        received_at timestamptz NOT NULL,
        channel text NOT NULL CHECK (channel IN ('email', 'phone', 'other')),
        summary text CHECK (length(summary) <= 2000),
        recorded_by_key_id uuid REFERENCES api_key (id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX candidate_reply_candidate ON candidate_reply (candidate_id, received_at DESC)`);

    // Campaign statistics count the outbox per campaign and step; without it every stats call scans all email.
    await queryRunner.query(
      `CREATE INDEX IF NOT EXISTS email_campaign_step ON email (campaign_id, campaign_step, status) WHERE campaign_id IS NOT NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX IF EXISTS email_campaign_step`);
    for (const table of ['candidate_reply', 'enrollment', 'campaign_step', 'campaign']) {
      await queryRunner.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
