import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Matching: the pool scored against a vacancy, stored as suggestions a
 * human acts on (invite, dismiss); when each open vacancy was last matched
 * (a scheduled run claims its day here, once across instances); and what a
 * candidate told us about their interest on their own profile page.
 *
 * The scores themselves are computed live in SQL (see src/matching); only
 * the suggestions that reached a recruiter are kept, with the explanation
 * they saw.
 */
export class Matching1764461400000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE vacancy_match (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        vacancy_id uuid NOT NULL REFERENCES vacancy (id) ON DELETE CASCADE,
        candidate_id uuid NOT NULL REFERENCES candidate (id) ON DELETE CASCADE,
        status text NOT NULL DEFAULT 'suggested' CHECK (status IN ('suggested', 'invited', 'dismissed', 'applied')),
        score numeric(5, 1) NOT NULL CHECK (score >= 0),
        meets_required boolean NOT NULL,
        -- The earlier rejection whose promise this vacancy keeps; an invitation marks the promise kept.
        promise_candidacy_id uuid REFERENCES candidacy (id) ON DELETE SET NULL,
        explanation jsonb NOT NULL CHECK (jsonb_typeof(explanation) = 'object'),
        found_at timestamptz NOT NULL,
        digested_at timestamptz,
        invited_at timestamptz,
        invited_by_key_id uuid REFERENCES api_key (id) ON DELETE SET NULL,
        -- No foreign key: the outbox may be pruned or partitioned on its own schedule.
        invitation_email_id uuid,
        dismissed_at timestamptz,
        dismissed_by_key_id uuid REFERENCES api_key (id) ON DELETE SET NULL,
        dismiss_reason text CHECK (length(dismiss_reason) BETWEEN 1 AND 500),
        applied_at timestamptz,
        updated_at timestamptz NOT NULL,
        CONSTRAINT vacancy_match_pair UNIQUE (vacancy_id, candidate_id),
        CHECK ((status = 'dismissed') = (dismissed_at IS NOT NULL)),
        CHECK ((dismissed_at IS NULL) = (dismiss_reason IS NULL)),
        CHECK (status <> 'invited' OR invited_at IS NOT NULL),
        CHECK (status <> 'applied' OR applied_at IS NOT NULL),
        CHECK ((invited_at IS NULL) = (invitation_email_id IS NULL))
      )`);
    await queryRunner.query(`CREATE INDEX vacancy_match_vacancy ON vacancy_match (vacancy_id, found_at DESC, id DESC)`);
    await queryRunner.query(`CREATE INDEX vacancy_match_candidate ON vacancy_match (candidate_id, found_at DESC, id DESC)`);
    await queryRunner.query(
      `CREATE INDEX vacancy_match_kept_promise ON vacancy_match (promise_candidacy_id) WHERE promise_candidacy_id IS NOT NULL`,
    );

    // One row per vacancy: the organisation's date of its last run. A run claims the day by moving it forward.
    await queryRunner.query(`
      CREATE TABLE match_run (
        vacancy_id uuid PRIMARY KEY REFERENCES vacancy (id) ON DELETE CASCADE,
        run_on date NOT NULL,
        started_at timestamptz NOT NULL,
        report jsonb CHECK (report IS NULL OR jsonb_typeof(report) = 'object')
      )`);

    // "Remove me" is a consent withdrawal, not an interest; "not right now" pauses matching until paused_until.
    await queryRunner.query(`
      CREATE TABLE candidate_interest (
        candidate_id uuid PRIMARY KEY REFERENCES candidate (id) ON DELETE CASCADE,
        interest text NOT NULL CHECK (interest IN ('open', 'not_now')),
        paused_until timestamptz,
        updated_at timestamptz NOT NULL,
        CHECK ((interest = 'not_now') = (paused_until IS NOT NULL))
      )`);
    await queryRunner.query(`CREATE INDEX candidate_interest_paused ON candidate_interest (candidate_id, paused_until) WHERE paused_until IS NOT NULL`);

    // Matching looks up the open promises for every vacancy; they are few among all candidacies.
    await queryRunner.query(`CREATE INDEX candidacy_promise ON candidacy (candidate_id) WHERE promise IS NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX IF EXISTS candidacy_promise`);
    for (const table of ['candidate_interest', 'match_run', 'vacancy_match']) {
      await queryRunner.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
