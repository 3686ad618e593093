import { sql } from 'kysely';
import { prepared } from '../db/prepared.js';

// The ledger's statements on the request path, prepared once (db/prepared.ts): every
// generation and task runs them. Only ledger.ts uses them; it owns these tables.

export const selectBalance = prepared<{ accountId: string }>()((db, arg) =>
  db
    .selectFrom('account_balances')
    .select(['balance', 'held'])
    .where('account_id', '=', arg('accountId')),
);
export const changeBalance = prepared<{ accountId: string; balance: number; held: number }>()(
  (db, arg) =>
    db
      .updateTable('account_balances')
      .set({ balance: sql`balance + ${arg('balance')}`, held: sql`held + ${arg('held')}` })
      .where('account_id', '=', arg('accountId'))
      .returning(['balance', 'held']),
);
// One conditional update checks and reserves: on PostgreSQL it locks the row and re-checks the
// condition after a concurrent writer; SQLite holds the write lock.
export const reserve = prepared<{ accountId: string; amount: number }>()((db, arg) =>
  db
    .updateTable('account_balances')
    .set({ held: sql`held + ${arg('amount')}` })
    .where('account_id', '=', arg('accountId'))
    .where(sql<boolean>`balance - held >= ${arg('amount')}`),
);
export const deleteHold = prepared<{ id: string }>()((db, arg) =>
  db.deleteFrom('holds').where('id', '=', arg('id')),
);
export const captureOpenHold = prepared<{ holdId: string; amount: number; now: number }>()(
  (db, arg) =>
    db
      .updateTable('holds')
      .set({ status: 'captured', captured_amount: arg('amount'), settled_at: arg('now') })
      .where('id', '=', arg('holdId'))
      .where('status', '=', 'open')
      .where('amount', '>=', arg('amount'))
      .returning(['account_id', 'amount']),
);
export const releaseOpenHold = prepared<{ holdId: string; now: number }>()((db, arg) =>
  db
    .updateTable('holds')
    .set({ status: 'released', captured_amount: 0, settled_at: arg('now') })
    .where('id', '=', arg('holdId'))
    .where('status', '=', 'open')
    .returning(['account_id', 'amount']),
);
