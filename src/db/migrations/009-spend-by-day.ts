import { sql, type Kysely } from 'kysely';

/**
 * Credits charged per account, key and UTC day, kept with each usage record: a budget check
 * reads at most one month of days instead of summing every request of the month (which grew
 * with the account's traffic, on every request of an account or key with a budget). Requests
 * without a key count under the key ''. Filled from the usage log that exists.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('spend_by_day')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('key_id', 'text', (c) => c.notNull())
    // The day's UTC midnight, in ms.
    .addColumn('day', 'bigint', (c) => c.notNull())
    .addColumn('credits', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('spend_by_day_pk', ['account_id', 'key_id', 'day'])
    .execute();
  // An account's budget reads its month across keys: without this, every day of every key.
  await db.schema
    .createIndex('spend_by_day_account_day')
    .on('spend_by_day')
    .columns(['account_id', 'day'])
    .execute();
  await sql`
    insert into spend_by_day (account_id, key_id, day, credits)
    select account_id, coalesce(key_id, ''), created_at - created_at % 86400000, sum(credits)
    from usage_records
    where credits > 0
    group by account_id, coalesce(key_id, ''), created_at - created_at % 86400000
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('spend_by_day').execute();
}
