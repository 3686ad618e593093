import type { Kysely } from 'kysely';

/**
 * Limits per key (on `api_keys`) and per account (`account_policies`, which also holds the
 * account's moderation override), plus what a blocked request records in the usage log.
 * Credits are millicredits; a null limit means "none" (for accounts: the configured default).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const column of [
    'images_per_minute',
    'max_concurrent',
    'daily_credits',
    'monthly_credits',
  ]) {
    await db.schema
      .alterTable('api_keys')
      .addColumn(column, column.endsWith('credits') ? 'bigint' : 'integer')
      .execute();
  }
  await db.schema
    .createTable('account_policies')
    .addColumn('account_id', 'text', (c) => c.primaryKey().references('accounts.id'))
    .addColumn('rpm', 'integer')
    .addColumn('images_per_minute', 'integer')
    .addColumn('max_concurrent', 'integer')
    .addColumn('daily_credits', 'bigint')
    .addColumn('monthly_credits', 'bigint')
    // JSON: the account's moderation mode and lists, overriding the server's.
    .addColumn('moderation', 'text')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  // The rule or category that blocked a request (status `blocked`).
  await db.schema.alterTable('usage_records').addColumn('blocked_reason', 'text').execute();
  // Budgets of a key sum what it spent since the start of the day or month (accounts use
  // usage_records_account_time; concurrency and metrics use the task indexes of 003).
  await db.schema
    .createIndex('usage_records_key_time')
    .on('usage_records')
    .columns(['key_id', 'created_at'])
    .execute();
}
