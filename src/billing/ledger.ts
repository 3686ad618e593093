import { sql, type Kysely, type Transaction } from 'kysely';
import type { Db } from '../db/connection.js';
import { insertRow } from '../db/prepared.js';
import {
  captureOpenHold,
  changeBalance,
  deleteHold,
  releaseOpenHold,
  reserve,
  selectBalance,
} from './ledger-statements.js';
import type { Database, LedgerKind } from '../db/schema.js';
import { PixapiError } from '../errors.js';
import { verifyBalances, type BalanceMismatch } from './ledger-verify.js';
import { sortableId } from '../ids.js';
import { formatCredits } from '../credits.js';

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
  /** The hold's id when the caller must write it before holding (a task row); new by default. */
  id?: string;
}

export function insufficientCredits(available: number, needed: number) {
  return new PixapiError({
    code: 'insufficient_credits',
    message: `Insufficient credits: ${formatCredits(available)} available, this request needs ${formatCredits(needed)}.`,
  });
}

/** A credit movement from outside the request path: a purchase, refund, code or admin's. */
export interface Movement {
  accountId: string;
  kind: Exclude<LedgerKind, 'capture'>;
  /** Signed millicredits: positive adds, negative deducts. */
  amount: number;
  note?: string | null;
  /** The outside event's id: a second movement with the same one posts nothing. */
  externalRef?: string;
  paymentId?: string | null;
  /**
   * Whether a deduction may take the balance below zero (refunds and disputes: the credits
   * were already spent). Otherwise it must leave `available` at zero or more.
   */
  mayGoNegative?: boolean;
}

/** The balance after a posted movement, and the movement's ledger row. */
export interface PostedBalance extends Balance {
  entryId: string;
}

export function deductionExceedsBalance(available: number, amount: number) {
  return new PixapiError({
    code: 'deduction_exceeds_balance',
    message: `Cannot deduct ${formatCredits(amount)} credits: ${formatCredits(available)} available.`,
  });
}

type Executor = Kysely<Database> | Transaction<Database>;

/**
 * Adds to the cached sums of an account that has them (any account with a hold does: its
 * credits came from a grant).
 */
async function addToBalance(
  trx: Transaction<Database>,
  accountId: string,
  change: { balance: number; held: number },
): Promise<Balance | undefined> {
  const row = await changeBalance.first(trx, { accountId, ...change });
  if (!row) return undefined;
  const balance = Number(row.balance);
  const held = Number(row.held);
  return { balance, held, available: balance - held };
}

/**
 * The credits ledger. Every movement of a balance is an immutable `ledger_entries` row and a
 * balance is their sum. Spending is two-phase: `hold` reserves the maximum cost, then `capture`
 * charges what was delivered and frees the rest, or `release` frees everything. A hold is
 * settled by a conditional update from `open`, so a second capture or release changes nothing.
 *
 * The sums are kept in `account_balances`, changed in the same transaction as each ledger row
 * and hold, so that checking a balance costs one row whatever the account's history; `verify`
 * recomputes them from the ledger.
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

  /** @param executor a transaction, to read what it has written */
  async balance(accountId: string, executor: Executor = this.k): Promise<Balance> {
    const row = await selectBalance.first(executor, { accountId });
    const balance = Number(row?.balance ?? 0);
    const held = Number(row?.held ?? 0);
    return { balance, held, available: balance - held };
  }

  /** @param transaction to grant together with other rows (a new account) */
  async grant(
    accountId: string,
    amount: number,
    note: string | null = null,
    transaction?: Transaction<Database>,
  ): Promise<Balance> {
    if (!Number.isSafeInteger(amount) || amount <= 0) {
      throw new RangeError('a grant must be a positive integer of millicredits');
    }
    return this.within(transaction, async (trx) => {
      await trx
        .insertInto('ledger_entries')
        .values({
          id: sortableId('led'),
          account_id: accountId,
          kind: 'grant',
          amount,
          hold_id: null,
          note,
          external_ref: null,
          payment_id: null,
          created_at: Date.now(),
        })
        .execute();
      // The first grant creates the account's row.
      await trx
        .insertInto('account_balances')
        .values({ account_id: accountId, balance: amount, held: 0 })
        .onConflict((oc) =>
          oc
            .column('account_id')
            .doUpdateSet({ balance: sql`account_balances.balance + ${amount}` }),
        )
        .execute();
      return this.balance(accountId, trx);
    });
  }

  /**
   * Posts one ledger row and moves the balance by its amount, in the caller's transaction when
   * given. Returns null, changing nothing, when a row with the same `externalRef` exists: the
   * unique index makes a redelivered or concurrent event post once (a concurrent duplicate
   * waits for the first transaction and then finds its row).
   */
  async post(
    movement: Movement,
    transaction?: Transaction<Database>,
  ): Promise<PostedBalance | null> {
    const { amount } = movement;
    if (!Number.isSafeInteger(amount) || amount === 0) {
      throw new RangeError('a movement must be a non-zero integer of millicredits');
    }
    return this.within(transaction, async (trx) => {
      const inserted = await trx
        .insertInto('ledger_entries')
        .values({
          id: sortableId('led'),
          account_id: movement.accountId,
          kind: movement.kind,
          amount,
          hold_id: null,
          note: movement.note ?? null,
          external_ref: movement.externalRef ?? null,
          payment_id: movement.paymentId ?? null,
          created_at: Date.now(),
        })
        .onConflict((oc) => oc.column('external_ref').doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!inserted) return null;
      if (amount < 0 && !movement.mayGoNegative) {
        const taken = await trx
          .updateTable('account_balances')
          .set({ balance: sql`balance + ${amount}` })
          .where('account_id', '=', movement.accountId)
          .where(sql<boolean>`balance - held >= ${-amount}`)
          .executeTakeFirst();
        if (Number(taken.numUpdatedRows) !== 1) {
          const { available } = await this.balance(movement.accountId, trx);
          throw deductionExceedsBalance(available, -amount);
        }
        return { ...(await this.balance(movement.accountId, trx)), entryId: inserted.id };
      }
      await trx
        .insertInto('account_balances')
        .values({ account_id: movement.accountId, balance: amount, held: 0 })
        .onConflict((oc) =>
          oc
            .column('account_id')
            .doUpdateSet({ balance: sql`account_balances.balance + ${amount}` }),
        )
        .execute();
      return { ...(await this.balance(movement.accountId, trx)), entryId: inserted.id };
    });
  }

  /**
   * Accounts whose cached sums differ from their ledger rows and open holds (none when all is
   * well). Reads every row: for `pixapi ledger verify` and tests, never a request.
   */
  verify(): Promise<BalanceMismatch[]> {
    return verifyBalances(this.k);
  }

  /** Reserves `amount`, or throws 402 `insufficient_credits` without reserving anything. */
  async hold(request: HoldRequest, transaction?: Transaction<Database>): Promise<Hold> {
    if (!Number.isSafeInteger(request.amount) || request.amount <= 0) {
      throw new RangeError('a hold must be a positive integer of millicredits');
    }
    return this.within(transaction, async (trx) => {
      const now = Date.now();
      const hold: Hold = {
        id: request.id ?? sortableId('hold'),
        accountId: request.accountId,
        amount: request.amount,
        expiresAt: now + request.ttlMs,
      };
      await insertRow(trx, 'holds', {
        id: hold.id,
        account_id: hold.accountId,
        amount: hold.amount,
        status: 'open',
        captured_amount: null,
        reference: request.reference,
        expires_at: hold.expiresAt,
        created_at: now,
        settled_at: null,
      });
      // The account's row last: on PostgreSQL its lock then spans one statement and the
      // commit, and the concurrent requests of a busy account queue on it for no longer.
      const reserved = await reserve.affected(trx, {
        accountId: request.accountId,
        amount: request.amount,
      });
      if (reserved !== 1) {
        // Gone before the error, whatever the caller's transaction does next.
        await deleteHold.affected(trx, { id: hold.id });
        const { available } = await this.balance(request.accountId, trx);
        throw insufficientCredits(available, request.amount);
      }
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
    return (
      (await this.within(transaction, (trx) => this.captureHold(holdId, amount, trx))) !== null
    );
  }

  /**
   * `capture` in the caller's transaction, also returning the account's balance after it (read
   * by the same statement that changes it). `captured` is false when the hold was already
   * settled; the balance is then read as it is.
   */
  async captureWithBalance(
    holdId: string,
    amount: number,
    trx: Transaction<Database>,
    accountId: string,
  ): Promise<{ captured: boolean; balance: Balance }> {
    const after = await this.captureHold(holdId, amount, trx);
    return after
      ? { captured: true, balance: after }
      : { captured: false, balance: await this.balance(accountId, trx) };
  }

  /** The capture itself; null when the hold was already settled. */
  private async captureHold(
    holdId: string,
    amount: number,
    trx: Transaction<Database>,
  ): Promise<Balance | null> {
    if (!Number.isSafeInteger(amount) || amount < 0) {
      throw new RangeError('a capture must be a non-negative integer of millicredits');
    }
    const now = Date.now();
    const hold = await captureOpenHold.first(trx, { holdId, amount, now });
    if (!hold) return null;
    if (amount > 0) {
      await insertRow(trx, 'ledger_entries', {
        id: sortableId('led'),
        account_id: hold.account_id,
        kind: 'capture',
        amount: -amount,
        hold_id: holdId,
        note: null,
        external_ref: null,
        payment_id: null,
        created_at: now,
      });
    }
    // The account's row last: on PostgreSQL its lock then spans one statement and the commit,
    // and the concurrent requests of a busy account queue on it for no longer than that.
    const after = await addToBalance(trx, hold.account_id, {
      balance: -amount,
      held: -Number(hold.amount),
    });
    return after ?? (await this.balance(hold.account_id, trx));
  }

  /** Frees the whole hold. Returns false when it was already settled. */
  async release(holdId: string, transaction?: Transaction<Database>): Promise<boolean> {
    return this.within(transaction, async (trx) => {
      const hold = await releaseOpenHold.first(trx, { holdId, now: Date.now() });
      if (!hold) return false;
      await addToBalance(trx, hold.account_id, { balance: 0, held: -Number(hold.amount) });
      return true;
    });
  }

  /** Settles holds left open past their expiry (a crashed request), freeing their credits. */
  async expireHolds(now = Date.now()): Promise<number> {
    return this.k.transaction().execute(async (trx) => {
      const expired = await trx
        .updateTable('holds')
        .set({ status: 'expired', captured_amount: 0, settled_at: now })
        .where('status', '=', 'open')
        .where('expires_at', '<', now)
        .returning(['account_id', 'amount'])
        .execute();
      const freed = new Map<string, number>();
      for (const hold of expired) {
        freed.set(hold.account_id, (freed.get(hold.account_id) ?? 0) + Number(hold.amount));
      }
      for (const [accountId, amount] of freed) {
        await addToBalance(trx, accountId, { balance: 0, held: -amount });
      }
      return expired.length;
    });
  }
}
