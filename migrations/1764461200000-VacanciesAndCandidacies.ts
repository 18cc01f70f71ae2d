import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Vacancies and their criteria; candidacies (who reached which stage of
 * which vacancy), their stage history, decisions with structured gaps; the
 * feedback actually given and the deadlines for giving it; medals for the
 * finalists who were not hired; relationship settings and the claim table
 * that makes daily jobs run once across instances.
 *
 * Skill references use ON DELETE RESTRICT like candidate_skill: merging a
 * skill into an alias must re-point these rows too (see SkillService).
 */
export class VacanciesAndCandidacies1764461200000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE vacancy (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
        team text CHECK (length(team) BETWEEN 1 AND 100),
        location text CHECK (length(location) BETWEEN 1 AND 200),
        description text CHECK (length(description) <= 20000),
        hiring_manager_name text NOT NULL CHECK (length(hiring_manager_name) BETWEEN 1 AND 200),
        hiring_manager_email text NOT NULL CHECK (length(hiring_manager_email) BETWEEN 3 AND 254),
        recruiter_name text CHECK (length(recruiter_name) BETWEEN 1 AND 200),
        recruiter_email text CHECK (length(recruiter_email) BETWEEN 3 AND 254),
        seniority text CHECK (seniority IN ('junior', 'mid', 'senior', 'lead', 'principal')),
        expected_decision_date date,
        status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'open', 'filled', 'cancelled')),
        opened_at timestamptz,
        closed_at timestamptz,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        CHECK ((recruiter_name IS NULL) = (recruiter_email IS NULL)),
        CHECK ((status IN ('filled', 'cancelled')) = (closed_at IS NOT NULL)),
        CHECK (status NOT IN ('open', 'filled') OR opened_at IS NOT NULL),
        CHECK (status <> 'open' OR expected_decision_date IS NOT NULL)
      )`);
    await queryRunner.query(`CREATE INDEX vacancy_recency ON vacancy (created_at DESC, id DESC)`);
    await queryRunner.query(`CREATE INDEX vacancy_status ON vacancy (status, created_at DESC, id DESC)`);

    await queryRunner.query(`
      CREATE TABLE vacancy_criterion (
        vacancy_id uuid NOT NULL REFERENCES vacancy (id) ON DELETE CASCADE,
        skill_id integer NOT NULL REFERENCES skill (id) ON DELETE RESTRICT,
        weight smallint NOT NULL CHECK (weight BETWEEN 1 AND 5),
        required boolean NOT NULL DEFAULT false,
        PRIMARY KEY (vacancy_id, skill_id)
      )`);
    await queryRunner.query(`CREATE INDEX vacancy_criterion_skill ON vacancy_criterion (skill_id)`);

    await queryRunner.query(`
      CREATE TABLE candidacy (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        candidate_id uuid NOT NULL REFERENCES candidate (id) ON DELETE CASCADE,
        vacancy_id uuid NOT NULL REFERENCES vacancy (id) ON DELETE CASCADE,
        stage text NOT NULL CHECK (stage IN ('applied', 'screening', 'interview', 'final', 'offer')),
        outcome text NOT NULL DEFAULT 'pending' CHECK (outcome IN ('pending', 'hired', 'rejected', 'withdrew')),
        finalist_rank smallint CHECK (finalist_rank BETWEEN 1 AND 100),
        reasons jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(reasons) = 'array'),
        promise jsonb CHECK (promise IS NULL OR jsonb_typeof(promise) = 'object'),
        decided_at timestamptz,
        decided_by_key_id uuid REFERENCES api_key (id) ON DELETE SET NULL,
        decision_source text CHECK (decision_source IN ('recruiter', 'vacancy_filled', 'vacancy_cancelled')),
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        CONSTRAINT candidacy_pair UNIQUE (candidate_id, vacancy_id),
        CHECK ((outcome = 'pending') = (decided_at IS NULL)),
        CHECK ((outcome = 'pending') = (decision_source IS NULL)),
        CHECK (finalist_rank IS NULL OR stage IN ('final', 'offer')),
        CHECK (finalist_rank IS NULL OR outcome IN ('hired', 'rejected')),
        CHECK (outcome <> 'hired' OR (finalist_rank = 1 AND stage IN ('final', 'offer'))),
        CHECK (outcome = 'hired' OR finalist_rank IS NULL OR finalist_rank >= 2),
        CHECK (outcome = 'rejected' OR (reasons = '[]' AND promise IS NULL))
      )`);
    await queryRunner.query(`CREATE INDEX candidacy_vacancy ON candidacy (vacancy_id, created_at DESC, id DESC)`);
    await queryRunner.query(`CREATE INDEX candidacy_candidate ON candidacy (candidate_id, created_at DESC, id DESC)`);
    // One hire per vacancy, and each finalist rank at most once.
    await queryRunner.query(`CREATE UNIQUE INDEX candidacy_one_hire ON candidacy (vacancy_id) WHERE outcome = 'hired'`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX candidacy_rank_unique ON candidacy (vacancy_id, finalist_rank) WHERE finalist_rank IS NOT NULL`,
    );

    await queryRunner.query(`
      CREATE TABLE candidacy_stage_change (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        candidacy_id uuid NOT NULL REFERENCES candidacy (id) ON DELETE CASCADE,
        from_stage text CHECK (from_stage IN ('applied', 'screening', 'interview', 'final', 'offer')),
        to_stage text NOT NULL CHECK (to_stage IN ('applied', 'screening', 'interview', 'final', 'offer')),
        changed_at timestamptz NOT NULL,
        changed_by_key_id uuid REFERENCES api_key (id) ON DELETE SET NULL
      )`);
    await queryRunner.query(`CREATE INDEX candidacy_stage_change_candidacy ON candidacy_stage_change (candidacy_id, changed_at, id)`);

    // The structured gap ("more experience with kafka" -> kafka), from the decision and from feedback given.
    await queryRunner.query(`
      CREATE TABLE candidacy_gap_skill (
        candidacy_id uuid NOT NULL REFERENCES candidacy (id) ON DELETE CASCADE,
        skill_id integer NOT NULL REFERENCES skill (id) ON DELETE RESTRICT,
        source text NOT NULL CHECK (source IN ('decision', 'feedback')),
        PRIMARY KEY (candidacy_id, skill_id)
      )`);
    await queryRunner.query(`CREATE INDEX candidacy_gap_skill_skill ON candidacy_gap_skill (skill_id)`);

    // What the candidate was actually told; never internal notes.
    await queryRunner.query(`
      CREATE TABLE feedback (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        candidacy_id uuid NOT NULL REFERENCES candidacy (id) ON DELETE CASCADE,
        stage text NOT NULL CHECK (stage IN ('applied', 'screening', 'interview', 'final', 'offer')),
        channel text NOT NULL CHECK (channel IN ('email', 'phone', 'video', 'in_person')),
        summary text NOT NULL CHECK (length(summary) BETWEEN 1 AND 1000),
        gap_skills text[] NOT NULL DEFAULT '{}',
        given_by text NOT NULL CHECK (length(given_by) BETWEEN 1 AND 200),
        given_at timestamptz NOT NULL,
        -- No foreign key: the outbox may be pruned or partitioned on its own schedule.
        email_id uuid,
        follow_up_email_id uuid,
        recorded_by_key_id uuid REFERENCES api_key (id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX feedback_candidacy ON feedback (candidacy_id, given_at, id)`);

    // One deadline per decision that owes feedback; closed by the first feedback given after it.
    await queryRunner.query(`
      CREATE TABLE feedback_due (
        candidacy_id uuid PRIMARY KEY REFERENCES candidacy (id) ON DELETE CASCADE,
        stage text NOT NULL CHECK (stage IN ('applied', 'screening', 'interview', 'final', 'offer')),
        channel text NOT NULL CHECK (channel IN ('email', 'phone', 'video', 'in_person')),
        owner_role text NOT NULL CHECK (owner_role IN ('recruiter', 'hiring_manager')),
        written_follow_up boolean NOT NULL,
        decided_at timestamptz NOT NULL,
        due_on date NOT NULL,
        due_at timestamptz NOT NULL,
        closed_at timestamptz,
        feedback_id uuid REFERENCES feedback (id) ON DELETE SET NULL,
        CHECK (due_at > decided_at),
        CHECK (closed_at IS NOT NULL OR feedback_id IS NULL)
      )`);
    await queryRunner.query(`CREATE INDEX feedback_due_open ON feedback_due (due_at, candidacy_id) WHERE closed_at IS NULL`);
    await queryRunner.query(`CREATE INDEX feedback_due_decided ON feedback_due (decided_at)`);

    await queryRunner.query(`
      CREATE TABLE medal (
        candidacy_id uuid PRIMARY KEY REFERENCES candidacy (id) ON DELETE CASCADE,
        candidate_id uuid NOT NULL REFERENCES candidate (id) ON DELETE CASCADE,
        vacancy_id uuid NOT NULL REFERENCES vacancy (id) ON DELETE CASCADE,
        medal text NOT NULL CHECK (medal IN ('silver', 'bronze')),
        rank smallint NOT NULL CHECK (rank >= 2),
        awarded_at timestamptz NOT NULL,
        pool_status text NOT NULL CHECK (pool_status IN
          ('pending', 'enrolled', 'no_campaign', 'consent_requested', 'not_asked', 'not_eligible')),
        pool_campaign_id uuid,
        pool_updated_at timestamptz NOT NULL,
        CHECK ((medal = 'silver') = (rank = 2)),
        CONSTRAINT medal_candidate_vacancy UNIQUE (candidate_id, vacancy_id)
      )`);
    await queryRunner.query(`CREATE INDEX medal_vacancy ON medal (vacancy_id, rank)`);
    await queryRunner.query(`CREATE INDEX medal_waiting_consent ON medal (candidate_id) WHERE pool_status = 'consent_requested'`);

    await queryRunner.query(`
      CREATE TABLE relationship_setting (
        key text PRIMARY KEY CHECK (key IN ('feedback_policy', 'silver_medalist_campaign')),
        value jsonb NOT NULL,
        updated_at timestamptz NOT NULL,
        updated_by_key_id uuid REFERENCES api_key (id) ON DELETE SET NULL
      )`);

    // A daily job claims its (job, day) row; the instance that inserts it does the work.
    await queryRunner.query(`
      CREATE TABLE job_run (
        job text NOT NULL CHECK (job ~ '^[a-z_]{3,60}$'),
        run_on date NOT NULL,
        started_at timestamptz NOT NULL,
        report jsonb,
        PRIMARY KEY (job, run_on)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'job_run', 'relationship_setting', 'medal', 'feedback_due', 'feedback', 'candidacy_gap_skill',
      'candidacy_stage_change', 'candidacy', 'vacancy_criterion', 'vacancy',
    ]) {
      await queryRunner.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
