import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../test/helpers/database.js';
import { postgresAvailable } from '../../test/helpers/postgres.js';
import { AccountService } from '../accounts/accounts.js';
import { Ledger } from '../billing/ledger.js';
import type { Db } from '../db/connection.js';
import * as spendByDay from '../db/migrations/009-spend-by-day.js';
import { BudgetReader } from '../limits/budget.js';
import { usageEntry as entry } from '../../test/helpers/usage.js';
import { UsageLog } from './usage-log.js';

const DAY = 86_400_000;

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe.skipIf(dialect === 'postgres' && !postgresAvailable)(
    `spend by day on ${dialect}`,
    () => {
      let handle: { db: Db; close(): Promise<void> };
      let usage: UsageLog;
      const a = { accountId: '', keyId: '' };
      const b = { accountId: '', keyId: '' };
      beforeAll(async () => {
        handle = await openTestDatabase(dialect);
        usage = new UsageLog(handle.db);
        const accounts = new AccountService(handle.db, new Ledger(handle.db));
        Object.assign(a, await accounts.create({ name: 'a' }));
        Object.assign(b, await accounts.create({ name: 'b' }));
      });
      afterAll(async () => handle?.close());

      async function daily() {
        return handle.db.kysely
          .selectFrom('spend_by_day')
          .select(['account_id', 'key_id', 'credits'])
          .orderBy('account_id')
          .orderBy('key_id')
          .execute();
      }

      it('sums what the usage log charges, per account, key and day', async () => {
        await usage.record(entry({ ...a, credits: 1000 }));
        await usage.record(entry({ ...a, credits: 2500 }));
        await usage.record(entry({ ...a, keyId: null, credits: 700 }));
        await usage.record(entry({ ...b, credits: 300 }));
        // Failures charge nothing and add no row.
        await usage.record(entry({ ...b, status: 'failed', credits: 0 }));
        const rows = await daily();
        expect(rows).toHaveLength(3);
        expect(rows).toEqual(
          expect.arrayContaining([
            { account_id: a.accountId, key_id: '', credits: 700 },
            { account_id: a.accountId, key_id: a.keyId, credits: 3500 },
            { account_id: b.accountId, key_id: b.keyId, credits: 300 },
          ]),
        );
        const budgets = new BudgetReader(handle.db);
        const now = Date.now();
        expect(await budgets.spent({ accountId: a.accountId }, now)).toEqual({
          today: 4200,
          thisMonth: 4200,
        });
        expect(await budgets.spent(a, now)).toEqual({
          today: 3500,
          thisMonth: 3500,
        });
        // The next day counts this month but not today.
        const tomorrow = now - (now % DAY) + DAY;
        const sameMonth = new Date(tomorrow).getUTCMonth() === new Date(now).getUTCMonth();
        expect(await budgets.spent({ accountId: a.accountId }, tomorrow)).toEqual({
          today: 0,
          thisMonth: sameMonth ? 4200 : 0,
        });
      });

      it('is filled from the usage log by its migration', async () => {
        const before = await daily();
        // Run as the migrator runs it: on the database, its schema unknown.
        const untyped = handle.db.kysely as unknown as Kysely<unknown>;
        await spendByDay.down(untyped);
        await spendByDay.up(untyped);
        expect(await daily()).toEqual(before);
      });
    },
  );
}
