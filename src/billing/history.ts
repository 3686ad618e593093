import type { Db } from '../db/connection.js';
import type { LedgerKind } from '../db/schema.js';

/** One credit movement of an account other than a request's cost, with its payment if any. */
export interface HistoryEntry {
  id: string;
  kind: Exclude<LedgerKind, 'capture'>;
  /** Signed millicredits. */
  amount: number;
  note: string | null;
  createdAt: number;
  payment: {
    id: string;
    /** Minor units of `currency`. */
    amount: number;
    currency: string;
    receiptUrl: string | null;
  } | null;
}

/**
 * An account's billing history: purchases, refunds, disputes, grants, deductions and
 * redemptions, newest first. Request costs are the usage log's (GET /v1/usage).
 */
export async function billingHistory(
  db: Db,
  accountId: string,
  page: { limit: number; after?: string },
): Promise<{ entries: HistoryEntry[]; hasMore: boolean }> {
  let query = db.kysely
    .selectFrom('ledger_entries as l')
    .leftJoin('payments as p', 'p.id', 'l.payment_id')
    .select([
      'l.id',
      'l.kind',
      'l.amount',
      'l.note',
      'l.created_at',
      'p.id as payment_id',
      'p.amount as payment_amount',
      'p.currency',
      'p.receipt_url',
    ])
    .where('l.account_id', '=', accountId)
    .where('l.kind', '!=', 'capture')
    .orderBy('l.id', 'desc')
    .limit(page.limit + 1);
  if (page.after) query = query.where('l.id', '<', page.after);
  const rows = await query.execute();
  const entries = rows.slice(0, page.limit).map((r): HistoryEntry => ({
    id: r.id,
    kind: r.kind as HistoryEntry['kind'],
    amount: Number(r.amount),
    note: r.note,
    createdAt: Number(r.created_at),
    payment: r.payment_id
      ? {
          id: r.payment_id,
          amount: Number(r.payment_amount),
          currency: r.currency ?? '',
          receiptUrl: r.receipt_url,
        }
      : null,
  }));
  return { entries, hasMore: rows.length > page.limit };
}

/** One ledger row by id, as an admin's grant or deduction answers it. */
export async function ledgerEntry(
  db: Db,
  id: string,
): Promise<{ id: string; amount: number; note: string | null; createdAt: number }> {
  const row = await db.kysely
    .selectFrom('ledger_entries')
    .select(['id', 'amount', 'note', 'created_at'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return {
    id: row.id,
    amount: Number(row.amount),
    note: row.note,
    createdAt: Number(row.created_at),
  };
}
