import { sql, type Kysely } from 'kysely';

/**
 * Per-request costs that must not grow with an account's history. A running balance per
 * account, so that a hold reads one row instead of the account's whole history. It is a cache: the ledger rows and open holds stay the source of truth, every
 * change to them updates this row in the same transaction, and `pixapi ledger verify` compares
 * the two.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('account_balances')
    .addColumn('account_id', 'text', (c) => c.primaryKey().references('accounts.id'))
    // The sum of the account's ledger rows.
    .addColumn('balance', 'bigint', (c) => c.notNull())
    // The sum of its open holds.
    .addColumn('held', 'bigint', (c) => c.notNull().check(sql`held >= 0`))
    .execute();
  await sql`
    insert into account_balances (account_id, balance, held)
    select a.id,
           coalesce((select sum(l.amount) from ledger_entries l where l.account_id = a.id), 0),
           coalesce((select sum(h.amount) from holds h
                     where h.account_id = a.id and h.status = 'open'), 0)
    from accounts a`.execute(db);

  // Lookups the API and the dashboard make, which otherwise walk an account's whole history:
  // a task list filtered by status (clients polling for pending tasks), usage over a time
  // range, and the sweep of stale tasks.
  await db.schema
    .createIndex('tasks_account_status')
    .on('tasks')
    .columns(['account_id', 'status', 'id'])
    .execute();
  await db.schema
    .createIndex('tasks_stale')
    .on('tasks')
    .columns(['status', 'created_at'])
    .execute();
  await db.schema
    .createIndex('usage_records_account_time')
    .on('usage_records')
    .columns(['account_id', 'created_at'])
    .execute();
}
