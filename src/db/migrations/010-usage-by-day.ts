import { sql, type Kysely } from 'kysely';

/**
 * Requests, images and credits per account, UTC day and served model, kept with each usage
 * record: the dashboard's daily chart (`GET /v1/usage/daily`) reads at most one row per day and
 * model instead of every request of the period. Summed from 450,000 records of the last 30 days
 * that took 315–364 ms on SQLite, with the event loop blocked (bench/usage-log.ts). The index that
 * served the old sum (migration 006) goes: nothing else reads it, and each usage record wrote it.
 * SQLite runs migrations without a transaction, so every step may run again after a crash.
 * Instances still on older code (a rolling upgrade with PostgreSQL) write usage records without
 * these sums: their requests are missing from the chart.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('usage_by_day')
    .ifNotExists()
    .addColumn('account_id', 'text', (c) => c.notNull())
    // The day's UTC midnight, in ms.
    .addColumn('day', 'bigint', (c) => c.notNull())
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('requests', 'bigint', (c) => c.notNull())
    .addColumn('images', 'bigint', (c) => c.notNull())
    .addColumn('credits', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('usage_by_day_pk', ['account_id', 'day', 'model'])
    .execute();
  await sql`delete from usage_by_day`.execute(db);
  await fillUsageByDay(db);
  await db.schema.dropIndex('usage_records_daily').ifExists().execute();
}

/** Sums the usage log into `usage_by_day` (which must be empty). */
export async function fillUsageByDay(db: Kysely<unknown>): Promise<void> {
  await sql`
    insert into usage_by_day (account_id, day, model, requests, images, credits)
    select account_id, created_at - created_at % 86400000, model, count(*), sum(images),
           sum(credits)
    from usage_records
    group by account_id, created_at - created_at % 86400000, model
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('usage_records_daily')
    .on('usage_records')
    .columns(['account_id', 'created_at', 'model', 'images', 'credits'])
    .execute();
  await db.schema.dropTable('usage_by_day').execute();
}
