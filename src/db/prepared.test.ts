import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../test/helpers/database.js';
import { postgresAvailable } from '../../test/helpers/postgres.js';
import type { Db } from './connection.js';
import type { HoldsTable } from './schema.js';
import { insertRow, prepared } from './prepared.js';

const holdsOf = prepared<{ accountId: string; status: HoldsTable['status'] }>()((db, arg) =>
  db
    .selectFrom('holds')
    .select(['id', 'amount'])
    .where('account_id', '=', arg('accountId'))
    .where('status', '=', arg('status'))
    // A constant of the query, not an argument: it stays what the builder was given.
    .where('amount', '<', 100)
    .orderBy('id'),
);
const settle = prepared<{ id: string; now: number }>()((db, arg) =>
  db
    .updateTable('holds')
    .set({ status: 'released', captured_amount: 0, settled_at: arg('now') })
    .where('id', '=', arg('id'))
    .where('status', '=', 'open'),
);
const addHeld = prepared<{ accountId: string; amount: number }>()((db, arg) =>
  db
    .updateTable('account_balances')
    .set({ held: sql`held + ${arg('amount')}` })
    .where('account_id', '=', arg('accountId'))
    .returning(['balance', 'held']),
);

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe.skipIf(dialect === 'postgres' && !postgresAvailable)(
    `prepared queries on ${dialect}`,
    () => {
      let handle: { db: Db; close(): Promise<void> };
      beforeAll(async () => {
        handle = await openTestDatabase(dialect);
        const k = handle.db.kysely;
        await insertRow(k, 'accounts', {
          id: 'acc_1',
          name: 'one',
          webhook_secret: 'whsec_1',
          is_admin: 0,
          created_at: 1,
        });
        await insertRow(k, 'account_balances', { account_id: 'acc_1', balance: 100, held: 0 });
        for (const [id, amount] of [
          ['hold_a', 5],
          ['hold_b', 200],
          ['hold_c', 7],
        ] as const) {
          await insertRow(k, 'holds', {
            id,
            account_id: 'acc_1',
            amount,
            status: 'open',
            captured_amount: null,
            reference: 'r',
            expires_at: 10,
            created_at: 1,
            settled_at: null,
          });
        }
      });
      afterAll(async () => handle?.close());

      it('runs with each call’s arguments and keeps the builder’s constants', async () => {
        const k = handle.db.kysely;
        expect(await holdsOf.rows(k, { accountId: 'acc_1', status: 'open' })).toEqual([
          { id: 'hold_a', amount: 5 },
          { id: 'hold_c', amount: 7 },
        ]);
        expect(await settle.affected(k, { id: 'hold_a', now: 20 })).toBe(1);
        expect(await settle.affected(k, { id: 'hold_a', now: 21 })).toBe(0);
        expect(await holdsOf.rows(k, { accountId: 'acc_1', status: 'released' })).toEqual([
          { id: 'hold_a', amount: 5 },
        ]);
        expect(await holdsOf.first(k, { accountId: 'acc_2', status: 'open' })).toBeUndefined();
        const settled = await k
          .selectFrom('holds')
          .select(['settled_at', 'captured_amount'])
          .where('id', '=', 'hold_a')
          .executeTakeFirstOrThrow();
        expect(settled).toEqual({ settled_at: 20, captured_amount: 0 });
      });

      it('runs in a transaction, which rolls it back like any query', async () => {
        const k = handle.db.kysely;
        await expect(
          k.transaction().execute(async (trx) => {
            expect(await addHeld.first(trx, { accountId: 'acc_1', amount: 3 })).toEqual({
              balance: 100,
              held: 3,
            });
            throw new Error('roll back');
          }),
        ).rejects.toThrow('roll back');
        expect(await addHeld.first(k, { accountId: 'acc_1', amount: 0 })).toEqual({
          balance: 100,
          held: 0,
        });
      });

      it('goes through the plugins of a database that has them, built each time', async () => {
        const seen: string[] = [];
        const watched = handle.db.kysely.withPlugin({
          transformQuery: ({ node }) => (seen.push(node.kind), node),
          transformResult: async ({ result }) => result,
        });
        const args = { accountId: 'acc_1', status: 'open' } as const;
        await holdsOf.rows(watched, args);
        expect(await holdsOf.rows(watched, args)).toEqual(
          await holdsOf.rows(handle.db.kysely, args),
        );
        expect(seen).toEqual(['SelectQueryNode', 'SelectQueryNode']);
      });

      it('inserts rows of different column sets into one table', async () => {
        const k = handle.db.kysely;
        await insertRow(k, 'accounts', {
          id: 'acc_2',
          name: 'two',
          webhook_secret: 'whsec_2',
          is_admin: 0,
          created_at: 2,
        });
        await insertRow(k, 'accounts', {
          id: 'acc_3',
          name: 'three',
          webhook_secret: 'whsec_3',
          is_admin: 1,
          created_at: 3,
          suspended_at: 4,
        });
        // An undefined column is left out, as Kysely does: its default applies, not NULL.
        await insertRow(k, 'accounts', {
          id: 'acc_4',
          name: 'four',
          webhook_secret: 'whsec_4',
          is_admin: undefined as unknown as number,
          created_at: 4,
        });
        const rows = await k
          .selectFrom('accounts')
          .select(['id', 'is_admin', 'suspended_at'])
          .where('id', 'in', ['acc_2', 'acc_3', 'acc_4'])
          .orderBy('id')
          .execute();
        expect(rows).toEqual([
          { id: 'acc_2', is_admin: 0, suspended_at: null },
          { id: 'acc_3', is_admin: 1, suspended_at: 4 },
          { id: 'acc_4', is_admin: 0, suspended_at: null },
        ]);
      });
    },
  );
}
