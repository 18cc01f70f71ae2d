import { MigrationInterface, QueryRunner } from 'typeorm';

const TABLES: { table: string; events: string }[] = [
  // A new key is not in any cache; revoking or deleting one must leave every cache at once.
  { table: 'api_key', events: 'UPDATE OR DELETE OR TRUNCATE' },
  // A new skill changes no name's resolution (an alias wins over a name); merging one deletes it.
  { table: 'skill', events: 'UPDATE OR DELETE OR TRUNCATE' },
  { table: 'skill_alias', events: 'INSERT OR UPDATE OR DELETE OR TRUNCATE' },
  // Who is not suppressed is cached for the match lists; any new suppression must reach them.
  { table: 'suppression', events: 'INSERT OR UPDATE OR DELETE OR TRUNCATE' },
];

/**
 * Tables that instances cache in memory (src/database/table-changes.ts)
 * announce their changes: one notification per statement, delivered when
 * the transaction commits, whoever writes (the app, a migration, psql),
 * unless someone disables the trigger itself.
 */
export class LookupCacheNotifications1764464000000 implements MigrationInterface {
  name = 'LookupCacheNotifications1764464000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION notify_table_changed() RETURNS trigger
        LANGUAGE plpgsql
        AS $$
        BEGIN
          PERFORM pg_notify('silverpool_table_changed', TG_TABLE_NAME);
          RETURN NULL;
        END
        $$`);
    for (const { table, events } of TABLES) {
      await queryRunner.query(
        `CREATE TRIGGER ${table}_changed AFTER ${events} ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION notify_table_changed()`,
      );
      // ALWAYS: also when triggers are otherwise skipped (session_replication_role = replica: logical
      // replication, pg_restore --disable-triggers, the bench seeder).
      await queryRunner.query(`ALTER TABLE ${table} ENABLE ALWAYS TRIGGER ${table}_changed`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const { table } of TABLES) await queryRunner.query(`DROP TRIGGER ${table}_changed ON ${table}`);
    await queryRunner.query(`DROP FUNCTION notify_table_changed()`);
  }
}
