import { Migrator, sql } from 'kysely';
import type { Db } from './connection.js';
import { migrations } from './migrations/index.js';

/**
 * Applies pending migrations; returns the names applied by this call. On PostgreSQL the
 * bookkeeping tables are looked up in the connection's own schema: Kysely otherwise finds a
 * same-named table of another schema in the database and skips creating its own.
 */
export async function migrateToLatest(db: Db): Promise<string[]> {
  const schema =
    db.dialect === 'postgres'
      ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db.kysely))
          .rows[0]?.schema
      : undefined;
  const migrator = new Migrator({
    db: db.kysely,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'pixapi_migrations',
    migrationLockTableName: 'pixapi_migrations_lock',
    migrationTableSchema: schema,
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
