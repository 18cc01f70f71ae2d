import { MigrationInterface, QueryRunner } from 'typeorm';

export class EmailOutbox1764461000000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    // One row: the secret used when APP_SECRET is not configured, shared by every instance.
    await queryRunner.query(`
      CREATE TABLE app_secret (
        id boolean PRIMARY KEY DEFAULT true CHECK (id),
        secret text NOT NULL CHECK (length(secret) >= 32),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);

    // Keyed hashes only: the list cannot be read back as email addresses.
    await queryRunner.query(`
      CREATE TABLE suppression (
        address_hash text PRIMARY KEY CHECK (address_hash ~ '^[0-9a-f]{64}$'),
        reason text NOT NULL CHECK (reason IN ('unsubscribed', 'hard_bounce', 'complaint', 'erased')),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);

    await queryRunner.query(`ALTER TABLE candidate ADD COLUMN unsubscribed_at timestamptz`);

    await queryRunner.query(`
      CREATE TABLE email (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        candidate_id uuid REFERENCES candidate (id) ON DELETE CASCADE,
        to_address text NOT NULL CHECK (length(to_address) BETWEEN 3 AND 254),
        category text NOT NULL CHECK (category IN ('transactional', 'nurture', 'staff')),
        template_key text NOT NULL,
        locale text NOT NULL CHECK (locale IN ('sv', 'en')),
        subject text NOT NULL,
        html_body text NOT NULL,
        text_body text NOT NULL,
        headers jsonb NOT NULL DEFAULT '{}',
        idempotency_key text NOT NULL UNIQUE CHECK (length(idempotency_key) BETWEEN 1 AND 300),
        status text NOT NULL CHECK (status IN
          ('queued', 'held', 'sending', 'sent', 'failed', 'suppressed', 'cancelled', 'uncertain')),
        attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        next_attempt_at timestamptz NOT NULL,
        lease_until timestamptz,
        smtp_started_at timestamptz,
        last_error text,
        message_id text NOT NULL UNIQUE,
        campaign_id uuid,
        campaign_step integer,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        sent_at timestamptz,
        CHECK (candidate_id IS NOT NULL OR category = 'staff'),
        CHECK (status <> 'sending' OR lease_until IS NOT NULL)
      )`);
    await queryRunner.query(
      `CREATE INDEX email_due ON email (next_attempt_at) WHERE status = 'queued'`,
    );
    await queryRunner.query(`CREATE INDEX email_leased ON email (lease_until) WHERE status = 'sending'`);
    await queryRunner.query(`CREATE INDEX email_candidate ON email (candidate_id, created_at DESC)`);
    await queryRunner.query(`CREATE INDEX email_status ON email (status, created_at DESC, id DESC)`);
    await queryRunner.query(`CREATE INDEX email_smtp_started ON email (smtp_started_at) WHERE smtp_started_at IS NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE email`);
    await queryRunner.query(`ALTER TABLE candidate DROP COLUMN unsubscribed_at`);
    await queryRunner.query(`DROP TABLE suppression`);
    await queryRunner.query(`DROP TABLE app_secret`);
  }
}
