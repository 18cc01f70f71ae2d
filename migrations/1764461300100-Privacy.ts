import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The privacy module: an append-only audit log, data-subject requests,
 * the renewal requests sent per consent, and indexes for the daily
 * consent/retention job.
 *
 * It also lets erasure keep the rows that aggregate statistics count
 * (campaign figures from enrollments and the outbox, feedback figures
 * from decided candidacies) as anonymous rows: their candidate reference
 * becomes NULL instead of cascading away. CHECK constraints make sure such
 * a row can only exist once it holds nothing about the person, so a plain
 * DELETE FROM candidate that skips the eraser fails instead of leaving
 * personal data behind.
 */
export class Privacy1764461300100 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    // No foreign keys: an entry outlives the person (an id is not personal data once they are gone)
    // and the API key; details never hold names, emails or phone numbers.
    await queryRunner.query(`
      CREATE TABLE audit_log (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at timestamptz NOT NULL,
        actor_key_id uuid,
        actor_role text NOT NULL CHECK (actor_role IN ('admin', 'recruiter', 'viewer', 'candidate', 'system')),
        action text NOT NULL CHECK (action ~ '^[a-z_]{3,60}$'),
        candidate_id uuid,
        request_id text CHECK (length(request_id) <= 100),
        details jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(details) = 'object'),
        CHECK ((actor_key_id IS NOT NULL) = (actor_role IN ('admin', 'recruiter', 'viewer')))
      )`);
    await queryRunner.query(`CREATE INDEX audit_log_time ON audit_log (at DESC, id DESC)`);
    await queryRunner.query(`CREATE INDEX audit_log_candidate ON audit_log (candidate_id, at DESC, id DESC) WHERE candidate_id IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX audit_log_actor ON audit_log (actor_key_id, at DESC, id DESC) WHERE actor_key_id IS NOT NULL`);
    await queryRunner.query(`
      CREATE FUNCTION audit_log_append_only() RETURNS trigger
        LANGUAGE plpgsql
        AS $$
        BEGIN
          RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP
            USING ERRCODE = 'insufficient_privilege';
        END
        $$`);
    await queryRunner.query(`
      CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
        FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`);
    await queryRunner.query(`
      CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
        FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()`);
    // Belt and braces for roles other than the owner (a reporting role, a replica user).
    await queryRunner.query(`REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM PUBLIC`);

    await queryRunner.query(`
      CREATE TABLE privacy_request (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        candidate_id uuid REFERENCES candidate (id) ON DELETE SET NULL,
        kind text NOT NULL CHECK (kind IN ('access', 'erasure', 'rectification')),
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'in_progress', 'done', 'rejected')),
        received_at timestamptz NOT NULL,
        due_at timestamptz NOT NULL,
        notes text CHECK (length(notes) BETWEEN 1 AND 2000),
        created_by_key_id uuid REFERENCES api_key (id) ON DELETE SET NULL,
        handled_by_key_id uuid REFERENCES api_key (id) ON DELETE SET NULL,
        handled_at timestamptz,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        CHECK (due_at > received_at),
        CHECK ((status IN ('done', 'rejected')) = (handled_at IS NOT NULL))
      )`);
    await queryRunner.query(`CREATE INDEX privacy_request_due ON privacy_request (due_at, id)`);
    await queryRunner.query(`CREATE INDEX privacy_request_open ON privacy_request (due_at) WHERE status IN ('open', 'in_progress')`);
    await queryRunner.query(`CREATE INDEX privacy_request_candidate ON privacy_request (candidate_id) WHERE candidate_id IS NOT NULL`);

    // One row per consent and reminder (30, 7 days before...): the reminder is queued once.
    await queryRunner.query(`
      CREATE TABLE consent_renewal_request (
        consent_id uuid NOT NULL REFERENCES consent (id) ON DELETE CASCADE,
        offset_days integer NOT NULL CHECK (offset_days BETWEEN 1 AND 365),
        requested_at timestamptz NOT NULL,
        PRIMARY KEY (consent_id, offset_days)
      )`);

    // When the latest pool consent ended or ends (LEAST ignores NULL): renewals, expiry, grace-period erasure.
    await queryRunner.query(`
      CREATE INDEX candidate_consent_end ON candidate (LEAST(consent_withdrawn_at, consent_expires_at))
        WHERE consent_expires_at IS NOT NULL`);
    // Applicants who never joined the pool, oldest first: retention erasure.
    await queryRunner.query(`CREATE INDEX candidate_without_consent ON candidate (created_at) WHERE consent_expires_at IS NULL`);

    // Campaign figures count enrollments and outbox rows: erasure keeps them, anonymous.
    await queryRunner.query(`ALTER TABLE enrollment ALTER COLUMN candidate_id DROP NOT NULL`);
    await this.replaceCandidateKey(queryRunner, 'enrollment', 'SET NULL');
    await queryRunner.query(`ALTER TABLE enrollment ADD CONSTRAINT enrollment_erased_ended CHECK (candidate_id IS NOT NULL OR status <> 'active')`);
    await queryRunner.query(`ALTER TABLE enrollment DROP CONSTRAINT enrollment_exit_reason_check`);
    await queryRunner.query(`
      ALTER TABLE enrollment ADD CONSTRAINT enrollment_exit_reason_check CHECK (exit_reason IN (
        'replied', 'hired', 'unsubscribed', 'archived', 'consent_expired', 'consent_withdrawn',
        'no_consent', 'campaign_archived', 'erased'))`);

    await this.replaceCandidateKey(queryRunner, 'email', 'SET NULL');
    await this.dropCheckContaining(queryRunner, 'email', 'candidate_id IS NOT NULL');
    await queryRunner.query(`
      ALTER TABLE email ADD CONSTRAINT email_candidate_or_erased CHECK (
        candidate_id IS NOT NULL OR category = 'staff'
        OR (to_address = 'erased' AND subject = '' AND html_body = '' AND text_body = '' AND headers = '{}'
            AND status NOT IN ('queued', 'held', 'sending')))`);

    // Feedback figures count decided candidacies: erasure keeps them without the person and free text.
    await queryRunner.query(`ALTER TABLE candidacy ALTER COLUMN candidate_id DROP NOT NULL`);
    await this.replaceCandidateKey(queryRunner, 'candidacy', 'SET NULL');
    await queryRunner.query(`
      ALTER TABLE candidacy ADD CONSTRAINT candidacy_erased_anonymous CHECK (
        candidate_id IS NOT NULL
        OR (outcome <> 'pending' AND promise IS NULL AND (outcome = 'hired' OR finalist_rank IS NULL)
            AND NOT jsonb_path_exists(reasons, '$[*].note')))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // Anonymous rows kept by erasure have no person to return to.
    await queryRunner.query(`DELETE FROM candidacy WHERE candidate_id IS NULL`);
    await queryRunner.query(`ALTER TABLE candidacy DROP CONSTRAINT candidacy_erased_anonymous`);
    await this.replaceCandidateKey(queryRunner, 'candidacy', 'CASCADE');
    await queryRunner.query(`ALTER TABLE candidacy ALTER COLUMN candidate_id SET NOT NULL`);

    await queryRunner.query(`DELETE FROM email WHERE candidate_id IS NULL AND category <> 'staff'`);
    await queryRunner.query(`ALTER TABLE email DROP CONSTRAINT email_candidate_or_erased`);
    await queryRunner.query(`ALTER TABLE email ADD CONSTRAINT email_check CHECK (candidate_id IS NOT NULL OR category = 'staff')`);
    await this.replaceCandidateKey(queryRunner, 'email', 'CASCADE');

    await queryRunner.query(`DELETE FROM enrollment WHERE candidate_id IS NULL`);
    await queryRunner.query(`ALTER TABLE enrollment DROP CONSTRAINT enrollment_exit_reason_check`);
    await queryRunner.query(`
      ALTER TABLE enrollment ADD CONSTRAINT enrollment_exit_reason_check CHECK (exit_reason IN (
        'replied', 'hired', 'unsubscribed', 'archived', 'consent_expired', 'consent_withdrawn',
        'no_consent', 'campaign_archived'))`);
    await queryRunner.query(`ALTER TABLE enrollment DROP CONSTRAINT enrollment_erased_ended`);
    await this.replaceCandidateKey(queryRunner, 'enrollment', 'CASCADE');
    await queryRunner.query(`ALTER TABLE enrollment ALTER COLUMN candidate_id SET NOT NULL`);

    await queryRunner.query(`DROP INDEX IF EXISTS candidate_without_consent`);
    await queryRunner.query(`DROP INDEX IF EXISTS candidate_consent_end`);
    await queryRunner.query(`DROP TABLE IF EXISTS consent_renewal_request`);
    await queryRunner.query(`DROP TABLE IF EXISTS privacy_request`);
    await queryRunner.query(`DROP TABLE IF EXISTS audit_log`);
    await queryRunner.query(`DROP FUNCTION IF EXISTS audit_log_append_only()`);
  }

  private async replaceCandidateKey(queryRunner: QueryRunner, table: string, onDelete: 'SET NULL' | 'CASCADE'): Promise<void> {
    await queryRunner.query(`ALTER TABLE ${table} DROP CONSTRAINT ${table}_candidate_id_fkey`);
    await queryRunner.query(
      `ALTER TABLE ${table} ADD CONSTRAINT ${table}_candidate_id_fkey
         FOREIGN KEY (candidate_id) REFERENCES candidate (id) ON DELETE ${onDelete}`,
    );
  }

  /** The outbox's checks were created unnamed; find the one to replace by what it says. */
  private async dropCheckContaining(queryRunner: QueryRunner, table: string, text: string): Promise<void> {
    const rows: { conname: string }[] = await queryRunner.query(
      `SELECT conname FROM pg_constraint
       WHERE conrelid = $1::regclass AND contype = 'c' AND pg_get_constraintdef(oid) LIKE '%' || $2 || '%'`,
      [table, text],
    );
    if (rows.length !== 1) throw new Error(`Expected one CHECK on ${table} containing "${text}", found ${rows.length}`);
    await queryRunner.query(`ALTER TABLE ${table} DROP CONSTRAINT "${rows[0].conname}"`);
  }
}
