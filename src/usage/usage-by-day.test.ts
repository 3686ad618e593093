import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../test/helpers/database.js';
import { postgresAvailable } from '../../test/helpers/postgres.js';
import { AccountService } from '../accounts/accounts.js';
import { Ledger } from '../billing/ledger.js';
import type { Db } from '../db/connection.js';
import * as usageByDay from '../db/migrations/010-usage-by-day.js';
import { usageEntry as entry } from '../../test/helpers/usage.js';
import { UsageLog } from './usage-log.js';

const DAY = 86_400_000;

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe.skipIf(dialect === 'postgres' && !postgresAvailable)(
    `usage by day on ${dialect}`,
    () => {
      let handle: { db: Db; close(): Promise<void> };
      let usage: UsageLog;
      let a: string;
      let b: string;
      beforeAll(async () => {
        handle = await openTestDatabase(dialect);
        usage = new UsageLog(handle.db);
        const accounts = new AccountService(handle.db, new Ledger(handle.db));
        a = (await accounts.create({ name: 'a' })).accountId;
        b = (await accounts.create({ name: 'b' })).accountId;
      });
      afterAll(async () => handle?.close());

      /** What `daily` answered before the sums had a table: a sum over the records. */
      async function summedFromRecords(accountId: string) {
        const { rows } = await sql<{
          day: number | string;
          model: string;
          requests: number | string;
          images: number | string;
          credits: number | string;
        }>`select created_at / 86400000 as day, model, count(*) as requests,
                  sum(images) as images, sum(credits) as credits
           from usage_records where account_id = ${accountId}
           group by created_at / 86400000, model order by 1, 2`.execute(handle.db.kysely);
        return rows.map((r) => ({
          day: Number(r.day),
          model: r.model,
          requests: Number(r.requests),
          images: Number(r.images),
          credits: Number(r.credits),
        }));
      }

      it('answers the daily chart from sums kept with each record', async () => {
        await usage.record(entry({ accountId: a, images: 2, credits: 2000 }));
        await usage.record(entry({ accountId: a, images: 1, credits: 2500 }));
        // Failures count as requests, with no images or credits.
        await usage.record(
          entry({ accountId: a, status: 'failed', errorCode: 'x', images: 0, credits: 0 }),
        );
        await usage.record(entry({ accountId: a, model: 'm2', images: 4, credits: 700 }));
        await usage.record(entry({ accountId: b, images: 9, credits: 9000 }));
        const now = Date.now();
        const today = Math.floor(now / DAY);
        const series = await usage.daily(a, now - 30 * DAY);
        expect(series).toEqual([
          { day: today, model: 'm1', requests: 3, images: 3, credits: 4500 },
          { day: today, model: 'm2', requests: 1, images: 4, credits: 700 },
        ]);
        expect(series).toEqual(await summedFromRecords(a));
        // From a later day: nothing yet.
        expect(await usage.daily(a, now + DAY)).toEqual([]);
      });

      it('commits the sums with the record in the caller’s transaction, or not at all', async () => {
        await handle.db.kysely
          .transaction()
          .execute(async (trx) => {
            await usage.record(entry({ accountId: b, model: 'rolled-back' }), trx);
            throw new Error('the caller fails after the record');
          })
          .catch(() => undefined);
        const rows = await handle.db.kysely
          .selectFrom('usage_by_day')
          .select('model')
          .where('account_id', '=', b)
          .execute();
        expect(rows.map((r) => r.model)).toEqual(['m1']);
      });

      it('is filled from the usage log by its migration', async () => {
        const before = await usage.daily(a, 0);
        // Run as the migrator runs it: on the database, its schema unknown.
        const untyped = handle.db.kysely as unknown as Kysely<unknown>;
        await usageByDay.down(untyped);
        await usageByDay.up(untyped);
        expect(await usage.daily(a, 0)).toEqual(before);
        expect(await usage.daily(b, 0)).toEqual(await summedFromRecords(b));
      });
    },
  );
}
