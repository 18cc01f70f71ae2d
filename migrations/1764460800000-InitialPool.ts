import { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialPool1764460800000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);

    await queryRunner.query(`
      CREATE TABLE api_key (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
        role text NOT NULL CHECK (role IN ('admin', 'recruiter', 'viewer')),
        key_hash text NOT NULL UNIQUE,
        key_prefix text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz
      )`);

    await queryRunner.query(`
      CREATE TABLE skill (
        id serial PRIMARY KEY,
        name text NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 80),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX skill_name_trgm ON skill USING gin (name gin_trgm_ops)`);

    await queryRunner.query(`
      CREATE TABLE skill_alias (
        alias text PRIMARY KEY CHECK (length(alias) BETWEEN 1 AND 80),
        skill_id integer NOT NULL REFERENCES skill (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX skill_alias_skill ON skill_alias (skill_id)`);

    await queryRunner.query(`
      CREATE TABLE candidate (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        full_name text NOT NULL CHECK (length(full_name) BETWEEN 1 AND 200),
        email text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
        phone text CHECK (length(phone) <= 40),
        city text CHECK (length(city) <= 100),
        country char(2) CHECK (country ~ '^[A-Z]{2}$'),
        time_zone text NOT NULL,
        locale text NOT NULL CHECK (locale IN ('sv', 'en')),
        headline text CHECK (length(headline) <= 300),
        profile_url text CHECK (length(profile_url) <= 500),
        tags text[] NOT NULL DEFAULT '{}',
        source text CHECK (length(source) <= 100),
        status text NOT NULL DEFAULT 'active'
          CHECK (status IN ('active', 'hired', 'opted_out', 'archived')),
        consent_expires_at timestamptz,
        consent_withdrawn_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX candidate_email_unique ON candidate (lower(email))`);
    await queryRunner.query(`CREATE INDEX candidate_tags ON candidate USING gin (tags)`);
    await queryRunner.query(`CREATE INDEX candidate_location ON candidate (country, lower(city))`);
    await queryRunner.query(`CREATE INDEX candidate_recency ON candidate (updated_at DESC, id DESC)`);
    await queryRunner.query(
      `CREATE INDEX candidate_text_trgm ON candidate USING gin ((full_name || ' ' || coalesce(headline, '')) gin_trgm_ops)`,
    );

    await queryRunner.query(`
      CREATE TABLE candidate_skill (
        candidate_id uuid NOT NULL REFERENCES candidate (id) ON DELETE CASCADE,
        skill_id integer NOT NULL REFERENCES skill (id) ON DELETE RESTRICT,
        level smallint CHECK (level BETWEEN 1 AND 5),
        PRIMARY KEY (candidate_id, skill_id)
      )`);
    await queryRunner.query(
      `CREATE INDEX candidate_skill_by_skill ON candidate_skill (skill_id) INCLUDE (candidate_id, level)`,
    );

    await queryRunner.query(`
      CREATE TABLE consent (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        candidate_id uuid NOT NULL REFERENCES candidate (id) ON DELETE CASCADE,
        scope text NOT NULL CHECK (scope IN ('talent_pool')),
        text_version text NOT NULL CHECK (length(text_version) BETWEEN 1 AND 50),
        source text NOT NULL CHECK (source IN ('application_form', 'email_reply', 'verbal', 'email_link')),
        recorded_by_key_id uuid REFERENCES api_key (id) ON DELETE SET NULL,
        granted_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        withdrawn_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (expires_at > granted_at),
        CHECK (withdrawn_at IS NULL OR withdrawn_at >= granted_at)
      )`);
    await queryRunner.query(`CREATE INDEX consent_candidate ON consent (candidate_id, granted_at DESC)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['consent', 'candidate_skill', 'candidate', 'skill_alias', 'skill', 'api_key']) {
      await queryRunner.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
