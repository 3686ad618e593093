import { Migrator, sql } from 'kysely';
import type { Db } from './connection.js';
import { migrations } from './migrations/index.js';

/**
 * On PostgreSQL the bookkeeping tables are looked up in the connection's own schema: Kysely
 * otherwise finds a same-named table of another schema in the database and skips creating its
 * own.
 */
async function migrator(db: Db): Promise<Migrator> {
  const schema =
    db.dialect === 'postgres'
      ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db.kysely))
          .rows[0]?.schema
      : undefined;
  return new Migrator({
    db: db.kysely,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'pixapi_migrations',
    migrationLockTableName: 'pixapi_migrations_lock',
    migrationTableSchema: schema,
  });
}

/** Applies pending migrations; returns the names applied by this call. */
export async function migrateToLatest(db: Db): Promise<string[]> {
  const { error, results } = await (await migrator(db)).migrateToLatest();
  // Kysely's migration error is whatever the migration threw; it goes on as it came.
  // eslint-disable-next-line @typescript-eslint/only-throw-error
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** The names of migrations not applied yet, in order; nothing is changed. */
export async function pendingMigrations(db: Db): Promise<string[]> {
  const all = await (await migrator(db)).getMigrations();
  return all.filter((m) => m.executedAt === undefined).map((m) => m.name);
}
