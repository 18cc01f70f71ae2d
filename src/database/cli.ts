/* Migration commands that work on the embedded database as well as on DATABASE_URL. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { loadConfig } from '../config/app-config';
import { dataSourceOptions } from './data-source-options';
import { resolveDatabaseUrl } from './database-url';
import { runMigrations } from './migrate';

async function main(command: string | undefined, name: string | undefined): Promise<void> {
  const { url, embedded } = await resolveDatabaseUrl(loadConfig());
  try {
    if (command === 'run') {
      const applied = await runMigrations(url);
      console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'No pending migrations.');
    } else if (command === 'revert') {
      const dataSource = await new DataSource(dataSourceOptions(url)).initialize();
      await dataSource.undoLastMigration({ transaction: 'each' });
      await dataSource.destroy();
      console.log('Reverted the last migration.');
    } else if (command === 'generate' && name && /^[A-Za-z][A-Za-z0-9]*$/.test(name)) {
      await generate(url, name);
    } else {
      console.error('Usage: cli.ts run | revert | generate <PascalCaseName>');
      process.exitCode = 2;
    }
  } finally {
    await embedded?.stop();
  }
}

/** Writes the difference between the entities and the database as a new migration. */
async function generate(url: string, name: string): Promise<void> {
  await runMigrations(url);
  const dataSource = await new DataSource(dataSourceOptions(url)).initialize();
  const sql = await dataSource.driver.createSchemaBuilder().log();
  await dataSource.destroy();
  if (sql.upQueries.length === 0) {
    console.log('The entities match the schema: nothing to generate.');
    return;
  }
  const timestamp = Date.now();
  const quote = (query: string) => '`' + query.replace(/`/g, '\\`') + '`';
  const up = sql.upQueries.map((q) => `    await queryRunner.query(${quote(q.query)});`).join('\n');
  const down = sql.downQueries.reverse().map((q) => `    await queryRunner.query(${quote(q.query)});`).join('\n');
  const file = join(__dirname, '..', '..', 'migrations', `${timestamp}-${name}.ts`);
  writeFileSync(
    file,
    `import { MigrationInterface, QueryRunner } from 'typeorm';\n\nexport class ${name}${timestamp} implements MigrationInterface {\n  async up(queryRunner: QueryRunner): Promise<void> {\n${up}\n  }\n\n  async down(queryRunner: QueryRunner): Promise<void> {\n${down}\n  }\n}\n`,
  );
  console.log(`Wrote ${file}`);
}

main(process.argv[2], process.argv[3]).catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
