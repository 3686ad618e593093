import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

/** An account whose cached balance disagrees with its ledger rows and open holds. */
export interface BalanceMismatch {
  accountId: string;
  cached: { balance: number; held: number } | null;
  ledger: { balance: number; held: number };
}

/** Recomputes every account's sums from the ledger and compares them with the cached row. */
export async function verifyBalances(k: Kysely<Database>): Promise<BalanceMismatch[]> {
  const rows = await k
    .selectFrom('accounts as a')
    .leftJoin('account_balances as b', 'b.account_id', 'a.id')
    .select((eb) => [
      'a.id',
      'b.balance',
      'b.held',
      eb
        .selectFrom('ledger_entries as l')
        .select(sql<number>`coalesce(sum(l.amount), 0)`.as('total'))
        .whereRef('l.account_id', '=', 'a.id')
        .as('ledger_balance'),
      eb
        .selectFrom('holds as h')
        .select(sql<number>`coalesce(sum(h.amount), 0)`.as('total'))
        .whereRef('h.account_id', '=', 'a.id')
        .where('h.status', '=', 'open')
        .as('ledger_held'),
    ])
    .execute();
  const mismatches: BalanceMismatch[] = [];
  for (const row of rows) {
    const ledger = { balance: Number(row.ledger_balance), held: Number(row.ledger_held) };
    const cached =
      row.balance === null || row.held === null
        ? null
        : { balance: Number(row.balance), held: Number(row.held) };
    const matches = cached
      ? cached.balance === ledger.balance && cached.held === ledger.held
      : ledger.balance === 0 && ledger.held === 0;
    if (!matches) mismatches.push({ accountId: row.id, cached, ledger });
  }
  return mismatches;
}
