import { sql } from 'kysely';
import type { Db } from '../db/connection.js';

/** The UTC start of the day and of the month of `now`, and when each period ends. */
export function budgetPeriods(now: number) {
  const d = new Date(now);
  const dayStart = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  const monthStart = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  return {
    dayStart,
    dayEnd: dayStart + 86_400_000,
    monthStart,
    monthEnd: Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1),
  };
}

export interface Spent {
  today: number;
  thisMonth: number;
}

/**
 * What a key or an account has spent (millicredits): captured charges of the usage log (as
 * summed per day in `spend_by_day`) plus what its accepted tasks still hold, so that a burst
 * of submissions cannot overrun a budget. Sync requests in flight count once they finish.
 */
export class BudgetReader {
  constructor(private readonly db: Db) {}

  /** @param scope the account, and the key when the budget is the key's */
  async spent(scope: { accountId: string; keyId?: string }, now: number): Promise<Spent> {
    const { dayStart, monthStart } = budgetPeriods(now);
    const { keyId } = scope;
    // At most one row per day of the month (per key, for an account): flat in its traffic.
    let usageQuery = this.db.kysely
      .selectFrom('spend_by_day')
      .select([
        sql<string | number | null>`sum(case when day >= ${dayStart} then credits else 0 end)`.as(
          'today',
        ),
        sql<string | number | null>`sum(credits)`.as('month'),
      ])
      .where('account_id', '=', scope.accountId)
      .where('day', '>=', monthStart);
    if (keyId) usageQuery = usageQuery.where('key_id', '=', keyId);
    const usage = await usageQuery.executeTakeFirst();
    // A task's hold has the task's id as its reference.
    let heldQuery = this.db.kysely
      .selectFrom('holds')
      .innerJoin('tasks', 'tasks.id', 'holds.reference')
      .select(sql<string | number | null>`sum(holds.amount)`.as('held'))
      .where('holds.account_id', '=', scope.accountId)
      .where('holds.status', '=', 'open');
    if (keyId) heldQuery = heldQuery.where('tasks.key_id', '=', keyId);
    const held = await heldQuery.executeTakeFirst();
    const pending = Number(held?.held ?? 0);
    return {
      today: Number(usage?.today ?? 0) + pending,
      thisMonth: Number(usage?.month ?? 0) + pending,
    };
  }
}
