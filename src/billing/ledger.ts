import { sql, type Kysely, type Transaction } from 'kysely';
import type { Db } from '../db/connection.js';
import type { Database } from '../db/schema.js';
import { PixapiError } from '../errors.js';
import { sortableId } from '../ids.js';
import { formatCredits } from './credits.js';

/** Amounts are millicredits. `available = balance - held` never goes below zero. */
export interface Balance {
  balance: number;
  held: number;
  available: number;
}

export interface Hold {
  id: string;
  accountId: string;
  amount: number;
  expiresAt: number;
}

export interface HoldRequest {
  accountId: string;
  amount: number;
  /** What the hold pays for (a request or task id), kept for audits. */
  reference: string;
  ttlMs: number;
}

export function insufficientCredits(available: number, needed: number) {
  return new PixapiError({
    status: 402,
    type: 'insufficient_credits',
    code: 'insufficient_credits',
    message: `Insufficient credits: ${formatCredits(available)} available, this request needs ${formatCredits(needed)}.`,
    retryable: false,
  });
}

type Executor = Kysely<Database> | Transaction<Database>;

async function sumLedger(db: Executor, accountId: string): Promise<number> {
  const row = await db
    .selectFrom('ledger_entries')
    .select(sql<number>`cast(coalesce(sum(amount), 0) as bigint)`.as('total'))
    .where('account_id', '=', accountId)
    .executeTakeFirstOrThrow();
  return Number(row.total);
}

async function sumOpenHolds(db: Executor, accountId: string): Promise<number> {
  const row = await db
    .selectFrom('holds')
    .select(sql<number>`cast(coalesce(sum(amount), 0) as bigint)`.as('total'))
    .where('account_id', '=', accountId)
    .where('status', '=', 'open')
    .executeTakeFirstOrThrow();
  return Number(row.total);
}

/**
 * The credits ledger. Every movement of a balance is an immutable `ledger_entries` row and a
 * balance is their sum. Spending is two-phase: `hold` reserves the maximum cost, then `capture`
 * charges what was delivered and frees the rest, or `release` frees everything. A hold is
 * settled by a conditional update from `open`, so a second capture or release changes nothing.
 */
export class Ledger {
  constructor(private readonly db: Db) {}

  private get k(): Kysely<Database> {
    return this.db.kysely;
  }

  /** Runs `fn` in the caller's transaction when given (to commit with other rows), else its own. */
  private within<T>(
    trx: Transaction<Database> | undefined,
    fn: (t: Transaction<Database>) => Promise<T>,
  ) {
    return trx ? fn(trx) : this.k.transaction().execute(fn);
  }

  /**
   * Serialises balance checks of one account. SQLite transactions already hold the database's
   * write lock (they begin IMMEDIATE); PostgreSQL locks the account row.
   */
  private async lockAccount(trx: Transaction<Database>, accountId: string): Promise<void> {
    const query = trx.selectFrom('accounts').select('id').where('id', '=', accountId);
    const row = await (
      this.db.dialect === 'postgres' ? query.forUpdate() : query
    ).executeTakeFirst();
    if (!row) throw new Error(`account ${accountId} does not exist`);
  }

  /** @param executor a transaction, to read what it has written */
  async balance(accountId: string, executor: Executor = this.k): Promise<Balance> {
    const balance = await sumLedger(executor, accountId);
    const held = await sumOpenHolds(executor, accountId);
    return { balance, held, available: balance - held };
  }

  /** @param executor a transaction, to grant together with other rows (a new account) */
  async grant(
    accountId: string,
    amount: number,
    note: string | null = null,
    executor: Executor = this.k,
  ): Promise<Balance> {
    if (!Number.isSafeInteger(amount) || amount <= 0) {
      throw new RangeError('a grant must be a positive integer of millicredits');
    }
    await executor
      .insertInto('ledger_entries')
      .values({
        id: sortableId('led'),
        account_id: accountId,
        kind: 'grant',
        amount,
        hold_id: null,
        note,
        created_at: Date.now(),
      })
      .execute();
    return this.balance(accountId, executor);
  }

  /** Reserves `amount`, or throws 402 `insufficient_credits` without reserving anything. */
  async hold(request: HoldRequest, transaction?: Transaction<Database>): Promise<Hold> {
    if (!Number.isSafeInteger(request.amount) || request.amount <= 0) {
      throw new RangeError('a hold must be a positive integer of millicredits');
    }
    return this.within(transaction, async (trx) => {
      await this.lockAccount(trx, request.accountId);
      const available =
        (await sumLedger(trx, request.accountId)) - (await sumOpenHolds(trx, request.accountId));
      if (available < request.amount) throw insufficientCredits(available, request.amount);
      const now = Date.now();
      const hold: Hold = {
        id: sortableId('hold'),
        accountId: request.accountId,
        amount: request.amount,
        expiresAt: now + request.ttlMs,
      };
      await trx
        .insertInto('holds')
        .values({
          id: hold.id,
          account_id: hold.accountId,
          amount: hold.amount,
          status: 'open',
          captured_amount: null,
          reference: request.reference,
          expires_at: hold.expiresAt,
          created_at: now,
          settled_at: null,
        })
        .execute();
      return hold;
    });
  }

  /**
   * Charges `amount` (at most the hold) and frees the rest of the hold. Returns false when the
   * hold was already settled, so a repeated capture charges nothing.
   */
  async capture(
    holdId: string,
    amount: number,
    transaction?: Transaction<Database>,
  ): Promise<boolean> {
    if (!Number.isSafeInteger(amount) || amount < 0) {
      throw new RangeError('a capture must be a non-negative integer of millicredits');
    }
    return this.within(transaction, async (trx) => {
      const now = Date.now();
      const hold = await trx
        .updateTable('holds')
        .set({ status: 'captured', captured_amount: amount, settled_at: now })
        .where('id', '=', holdId)
        .where('status', '=', 'open')
        .where('amount', '>=', amount)
        .returning('account_id')
        .executeTakeFirst();
      if (!hold) return false;
      if (amount > 0) {
        await trx
          .insertInto('ledger_entries')
          .values({
            id: sortableId('led'),
            account_id: hold.account_id,
            kind: 'capture',
            amount: -amount,
            hold_id: holdId,
            note: null,
            created_at: now,
          })
          .execute();
      }
      return true;
    });
  }

  /** Frees the whole hold. Returns false when it was already settled. */
  async release(holdId: string, transaction?: Transaction<Database>): Promise<boolean> {
    const result = await (transaction ?? this.k)
      .updateTable('holds')
      .set({ status: 'released', captured_amount: 0, settled_at: Date.now() })
      .where('id', '=', holdId)
      .where('status', '=', 'open')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Settles holds left open past their expiry (a crashed request), freeing their credits. */
  async expireHolds(now = Date.now()): Promise<number> {
    const result = await this.k
      .updateTable('holds')
      .set({ status: 'expired', captured_amount: 0, settled_at: now })
      .where('status', '=', 'open')
      .where('expires_at', '<', now)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }
}
