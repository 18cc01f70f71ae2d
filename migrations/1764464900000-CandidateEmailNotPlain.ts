import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The candidates whose stored address is not plain printable ASCII: the few whose address may be in an
 * older spelling than its canonical form (CanonicalEmailsAndTags leaves them when the canonical spelling
 * was taken). Erasure and the export read them all to tell whether a former address is someone else's now
 * (addresses-held-by-others.ts); without this they read the whole table. The predicate must stay word for
 * word the query's, or the planner does not use the index.
 */
export class CandidateEmailNotPlain1764464900000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX candidate_email_not_plain ON candidate (email) WHERE email ~ '[^\\x21-\\x7e]'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX candidate_email_not_plain`);
  }
}
