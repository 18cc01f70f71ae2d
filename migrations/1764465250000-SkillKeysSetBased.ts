import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The keys of the candidates in `touched` (a query of candidate ids), as candidate_skill_keys() spells them.
 * OFFSET 0 keeps k a subquery of its own, so each candidate's keys are computed once, not once for the
 * SET and again for the comparison.
 */
const setBasedRefresh = (touched: string) => `
  UPDATE candidate c SET skill_keys = k.keys
  FROM (SELECT t.id,
               (SELECT coalesce(sort(array_agg(cs.skill_id * 8) || array_agg(cs.skill_id * 8 + 1 + coalesce(cs.level, 0))), '{}')
                FROM candidate_skill cs WHERE cs.candidate_id = t.id) AS keys
        FROM (${touched}) t(id)
        OFFSET 0) k
  WHERE c.id = k.id AND c.skill_keys IS DISTINCT FROM k.keys;`;

const perCandidateRefresh = (touched: string) => `
  UPDATE candidate c SET skill_keys = k.keys
  FROM (SELECT id, candidate_skill_keys(id) AS keys FROM candidate WHERE id IN (${touched})) k
  WHERE c.id = k.id AND c.skill_keys IS DISTINCT FROM k.keys;`;

const refreshFunction = (refresh: (touched: string) => string, settings = '') => `
  CREATE OR REPLACE FUNCTION candidate_skill_keys_refresh() RETURNS trigger
    LANGUAGE plpgsql
    ${settings}
    AS $$
    BEGIN
      IF TG_OP = 'INSERT' THEN
        ${refresh('SELECT DISTINCT candidate_id FROM changed_new')}
      ELSIF TG_OP = 'DELETE' THEN
        ${refresh('SELECT DISTINCT candidate_id FROM changed_old')}
      ELSE
        ${refresh('SELECT candidate_id FROM changed_new UNION SELECT candidate_id FROM changed_old')}
      END IF;
      RETURN NULL;
    END
    $$`;

/**
 * The skill-keys triggers compute the keys of all the candidates a statement
 * touched in one join and aggregate, instead of calling candidate_skill_keys()
 * once per candidate. Measured at a million candidates for ~560 of them:
 * 10 ms against 19 ms; in an import batch of 1000 candidates the trigger was
 * the largest single cost.
 */
export class SkillKeysSetBased1764465250000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    // One index probe per touched candidate, whatever the statistics say: a bulk import into a young
    // table runs on statistics of a few hundred rows while the table holds tens of thousands, and the
    // planner then read candidate (or candidate_skill) whole for every batch: 40-70 ms a batch at
    // 40-70k candidates, growing with the table.
    await queryRunner.query(refreshFunction(setBasedRefresh, 'SET enable_seqscan = off SET enable_hashjoin = off SET enable_mergejoin = off'));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(refreshFunction(perCandidateRefresh));
  }
}
