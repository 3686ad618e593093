import { sql, type Kysely } from 'kysely';

/**
 * A running balance per account, so that a hold reads one row instead of the account's whole
 * history. It is a cache: the ledger rows and open holds stay the source of truth, every
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
}
