import { MigrationInterface, QueryRunner } from 'typeorm';

/** Canonical skill -> aliases people type for it. Recruiters add more through the API. */
const SEED: Record<string, string[]> = {
  javascript: ['js', 'ecmascript', 'es6'],
  typescript: ['ts'],
  'node.js': ['node', 'nodejs', 'node js'],
  postgresql: ['postgres', 'pg', 'psql'],
  kubernetes: ['k8s', 'kube'],
  go: ['golang'],
  react: ['reactjs', 'react.js', 'react js'],
  'vue.js': ['vue', 'vuejs'],
  angular: ['angularjs', 'angular.js'],
  python: ['py', 'python3'],
  'c#': ['csharp', 'c sharp'],
  'c++': ['cpp', 'cplusplus'],
  '.net': ['dotnet', 'net core', '.net core'],
  'amazon web services': ['aws'],
  'google cloud platform': ['gcp', 'google cloud'],
  'microsoft azure': ['azure'],
  'machine learning': ['ml'],
  'artificial intelligence': ['ai'],
  'continuous integration': ['ci', 'ci cd', 'cicd'],
  kafka: ['apache kafka'],
  elasticsearch: ['elastic', 'es'],
  mongodb: ['mongo'],
  graphql: ['gql'],
  'ruby on rails': ['rails', 'ror'],
  terraform: ['tf'],
  'user experience design': ['ux', 'ux design'],
  'user interface design': ['ui', 'ui design'],
};

export class SeedSkillAliases1764460800001 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    const skills = Object.keys(SEED);
    await queryRunner.query(
      `INSERT INTO skill (name) SELECT unnest($1::text[]) ON CONFLICT (name) DO NOTHING`,
      [skills],
    );
    const aliases = Object.entries(SEED).flatMap(([skill, list]) => list.map((alias) => [alias, skill]));
    await queryRunner.query(
      `INSERT INTO skill_alias (alias, skill_id)
       SELECT a.alias, s.id FROM unnest($1::text[], $2::text[]) AS a(alias, skill)
       JOIN skill s ON s.name = a.skill
       ON CONFLICT (alias) DO NOTHING`,
      [aliases.map(([alias]) => alias), aliases.map(([, skill]) => skill)],
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM skill_alias WHERE alias = ANY($1::text[])`, [
      Object.values(SEED).flat(),
    ]);
  }
}
