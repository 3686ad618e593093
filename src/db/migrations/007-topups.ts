import type { Kysely } from 'kysely';

/**
 * Top-ups: Stripe payments, redeem codes and the keys that make each credit movement from
 * outside (a paid Checkout Session, a refund, a dispute, a redemption) happen exactly once.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // The outside event a ledger row answers (`cs_...`, a refund state, `dp_...`, a redemption):
  // unique, so that a redelivered or concurrent event inserts nothing the second time.
  // (SQLite cannot add a UNIQUE column: the index is made apart.)
  await db.schema.alterTable('ledger_entries').addColumn('external_ref', 'text').execute();
  await db.schema
    .createIndex('ledger_entries_external_ref')
    .on('ledger_entries')
    .column('external_ref')
    .unique()
    .execute();
  // The Stripe payment a purchase, refund or dispute row belongs to (its receipt).
  await db.schema.alterTable('ledger_entries').addColumn('payment_id', 'text').execute();
  await db.schema
    .createIndex('ledger_entries_account_id')
    .on('ledger_entries')
    .columns(['account_id', 'kind', 'id'])
    .execute();

  await db.schema
    .createTable('payments')
    // The Checkout Session id.
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('credits', 'bigint', (c) => c.notNull())
    // Minor units of `currency` (cents), as Stripe counts them.
    .addColumn('amount', 'bigint', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('payment_intent', 'text')
    .addColumn('charge_id', 'text')
    .addColumn('receipt_url', 'text')
    // Credits taken back by refunds and disputes so far (never more than `credits`).
    .addColumn('credits_reversed', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('paid_at', 'bigint')
    .execute();
  await db.schema.createIndex('payments_charge').on('payments').column('charge_id').execute();
  await db.schema.createIndex('payments_intent').on('payments').column('payment_intent').execute();

  await db.schema
    .createTable('redeem_codes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('credits', 'bigint', (c) => c.notNull())
    .addColumn('max_uses', 'integer', (c) => c.notNull())
    .addColumn('uses', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('expires_at', 'bigint')
    .addColumn('note', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('code_redemptions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code_id', 'text', (c) => c.notNull().references('redeem_codes.id'))
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    // A multi-use code serves many accounts, each once.
    .addUniqueConstraint('code_redemptions_once', ['code_id', 'account_id'])
    .execute();
}
