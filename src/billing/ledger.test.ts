import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountService } from '../accounts/accounts.js';
import type { Db } from '../db/connection.js';
import { openTestDatabase } from '../../test/helpers/database.js';
import { postgresAvailable } from '../../test/helpers/postgres.js';
import { PixapiError } from '../errors.js';
import { Ledger } from './ledger.js';

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe.skipIf(dialect === 'postgres' && !postgresAvailable)(`ledger on ${dialect}`, () => {
    let handle: { db: Db; close(): Promise<void> };
    let ledger: Ledger;
    let accounts: AccountService;
    let n = 0;

    beforeAll(async () => {
      handle = await openTestDatabase(dialect);
      ledger = new Ledger(handle.db);
      accounts = new AccountService(handle.db, ledger);
    });
    afterAll(async () => handle?.close());

    const newAccount = async (milli = 0) =>
      (await accounts.create({ name: `ledger-${++n}`, credits: milli || undefined })).accountId;

    async function assertInvariants(accountId: string) {
      const rows = await handle.db.kysely
        .selectFrom('ledger_entries')
        .select('amount')
        .where('account_id', '=', accountId)
        .execute();
      const open = await handle.db.kysely
        .selectFrom('holds')
        .select('amount')
        .where('account_id', '=', accountId)
        .where('status', '=', 'open')
        .execute();
      const balance = await ledger.balance(accountId);
      expect(balance.balance).toBe(rows.reduce((s, r) => s + Number(r.amount), 0));
      expect(balance.held).toBe(open.reduce((s, r) => s + Number(r.amount), 0));
      expect(balance.available).toBeGreaterThanOrEqual(0);
      expect((await ledger.verify()).filter((m) => m.accountId === accountId)).toEqual([]);
      return balance;
    }

    it('holds, then captures what was delivered and frees the rest, exactly once', async () => {
      const id = await newAccount(10_000);
      const hold = await ledger.hold({
        accountId: id,
        amount: 3000,
        reference: 'r1',
        ttlMs: 60_000,
      });
      expect(await ledger.balance(id)).toEqual({ balance: 10_000, held: 3000, available: 7000 });
      expect(await ledger.capture(hold.id, 2000)).toBe(true);
      expect(await ledger.capture(hold.id, 2000)).toBe(false);
      expect(await ledger.release(hold.id)).toBe(false);
      expect(await assertInvariants(id)).toEqual({ balance: 8000, held: 0, available: 8000 });
    });

    it('release frees everything once; capture after release charges nothing', async () => {
      const id = await newAccount(1000);
      const hold = await ledger.hold({
        accountId: id,
        amount: 1000,
        reference: 'r',
        ttlMs: 60_000,
      });
      expect(await ledger.release(hold.id)).toBe(true);
      expect(await ledger.capture(hold.id, 1000)).toBe(false);
      expect(await assertInvariants(id)).toEqual({ balance: 1000, held: 0, available: 1000 });
    });

    it('refuses a hold past the available balance with 402 and reserves nothing', async () => {
      const id = await newAccount(1000);
      await ledger.hold({ accountId: id, amount: 600, reference: 'a', ttlMs: 60_000 });
      const error = await ledger
        .hold({ accountId: id, amount: 500, reference: 'b', ttlMs: 60_000 })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PixapiError);
      expect((error as PixapiError).status).toBe(402);
      expect(await assertInvariants(id)).toEqual({ balance: 1000, held: 600, available: 400 });
    });

    it('refuses to capture more than the hold', async () => {
      const id = await newAccount(5000);
      const hold = await ledger.hold({
        accountId: id,
        amount: 1000,
        reference: 'r',
        ttlMs: 60_000,
      });
      expect(await ledger.capture(hold.id, 1001)).toBe(false);
      expect(await ledger.capture(hold.id, 1000)).toBe(true);
      expect(await assertInvariants(id)).toEqual({ balance: 4000, held: 0, available: 4000 });
    });

    it('expires holds left open by a crash, freeing their credits', async () => {
      const id = await newAccount(1000);
      const hold = await ledger.hold({ accountId: id, amount: 1000, reference: 'r', ttlMs: 1 });
      expect(await ledger.expireHolds(Date.now() + 1000)).toBeGreaterThanOrEqual(1);
      expect(await ledger.capture(hold.id, 1000)).toBe(false);
      expect(await assertInvariants(id)).toEqual({ balance: 1000, held: 0, available: 1000 });
    });

    it('parallel captures of one hold charge once', async () => {
      const id = await newAccount(1000);
      const hold = await ledger.hold({
        accountId: id,
        amount: 1000,
        reference: 'r',
        ttlMs: 60_000,
      });
      const results = await Promise.all(
        Array.from({ length: 10 }, () => ledger.capture(hold.id, 1000)),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await assertInvariants(id)).toEqual({ balance: 0, held: 0, available: 0 });
    });

    it('keeps the cached balance equal to the ledger under parallel holds, captures and releases', async () => {
      const id = await newAccount(50_000);
      let captured = 0;
      await Promise.all(
        Array.from({ length: 16 }, async (_, worker) => {
          for (let i = 0; i < 10; i++) {
            const hold = await ledger
              .hold({ accountId: id, amount: 700 + worker, reference: 'p', ttlMs: 60_000 })
              .catch(() => undefined);
            if (!hold) continue;
            if ((worker + i) % 3 === 0) {
              await ledger.release(hold.id);
            } else if (await ledger.capture(hold.id, 100 * (i % 5))) {
              captured += 100 * (i % 5);
            }
          }
        }),
      );
      expect(await assertInvariants(id)).toEqual({
        balance: 50_000 - captured,
        held: 0,
        available: 50_000 - captured,
      });
    });

    it('verify reports an account whose cached balance drifted from its ledger', async () => {
      const id = await newAccount(1000);
      await handle.db.kysely
        .updateTable('account_balances')
        .set({ balance: 999 })
        .where('account_id', '=', id)
        .execute();
      expect((await ledger.verify()).filter((m) => m.accountId === id)).toEqual([
        { accountId: id, cached: { balance: 999, held: 0 }, ledger: { balance: 1000, held: 0 } },
      ]);
      await handle.db.kysely
        .updateTable('account_balances')
        .set({ balance: 1000 })
        .where('account_id', '=', id)
        .execute();
    });

    it('keeps its invariants under random sequences of grant, hold, capture, release and crash', async () => {
      type Model = { balance: number; holds: Map<string, number> };
      type Real = { accountId: string; holdIds: string[] };
      const pick = (ids: string[], i: number) => ids[i % Math.max(ids.length, 1)];

      class Grant implements fc.AsyncCommand<Model, Real> {
        constructor(readonly amount: number) {}
        check = () => true;
        async run(m: Model, r: Real) {
          await ledger.grant(r.accountId, this.amount);
          m.balance += this.amount;
        }
        toString = () => `grant(${this.amount})`;
      }
      class Hold implements fc.AsyncCommand<Model, Real> {
        constructor(readonly amount: number) {}
        check = () => true;
        async run(m: Model, r: Real) {
          const held = [...m.holds.values()].reduce((a, b) => a + b, 0);
          const ok = m.balance - held >= this.amount;
          const result = await ledger
            .hold({
              accountId: r.accountId,
              amount: this.amount,
              reference: 'fc',
              ttlMs: 3_600_000,
            })
            .catch((e: unknown) => e);
          if (ok) {
            const hold = result as { id: string };
            m.holds.set(hold.id, this.amount);
            r.holdIds.push(hold.id);
          } else {
            expect((result as PixapiError).status).toBe(402);
          }
        }
        toString = () => `hold(${this.amount})`;
      }
      class Capture implements fc.AsyncCommand<Model, Real> {
        constructor(
          readonly index: number,
          readonly fraction: number,
        ) {}
        check = () => true;
        async run(m: Model, r: Real) {
          const id = pick(r.holdIds, this.index);
          if (!id) return;
          const amount = m.holds.get(id);
          const charge = Math.floor((amount ?? 1000) * this.fraction);
          const done = await ledger.capture(id, charge);
          expect(done).toBe(amount !== undefined);
          if (amount !== undefined) {
            m.balance -= charge;
            m.holds.delete(id);
          }
        }
        toString = () => `capture(#${this.index}, ${this.fraction})`;
      }
      class Release implements fc.AsyncCommand<Model, Real> {
        constructor(readonly index: number) {}
        check = () => true;
        async run(m: Model, r: Real) {
          const id = pick(r.holdIds, this.index);
          if (!id) return;
          expect(await ledger.release(id)).toBe(m.holds.has(id));
          m.holds.delete(id);
        }
        toString = () => `release(#${this.index})`;
      }
      // A crash leaves holds open; the sweeper later expires them (here: all of them at once).
      class CrashAndSweep implements fc.AsyncCommand<Model, Real> {
        check = () => true;
        async run(m: Model) {
          await ledger.expireHolds(Date.now() + 7_200_000);
          m.holds.clear();
        }
        toString = () => 'crash+sweep';
      }

      const commands = [
        fc.integer({ min: 1, max: 5000 }).map((a) => new Grant(a)),
        fc.integer({ min: 1, max: 5000 }).map((a) => new Hold(a)),
        fc
          .tuple(fc.nat(20), fc.double({ min: 0, max: 1, noNaN: true }))
          .map(([i, f]) => new Capture(i, f)),
        fc.nat(20).map((i) => new Release(i)),
        fc.constant(new CrashAndSweep()),
      ];
      await fc.assert(
        fc.asyncProperty(fc.commands(commands, { maxCommands: 25 }), async (cmds) => {
          const accountId = await newAccount();
          const model: Model = { balance: 0, holds: new Map() };
          const real: Real = { accountId, holdIds: [] };
          await fc.asyncModelRun(() => ({ model, real }), cmds);
          const balance = await assertInvariants(accountId);
          const held = [...model.holds.values()].reduce((a, b) => a + b, 0);
          expect(balance).toEqual({
            balance: model.balance,
            held,
            available: model.balance - held,
          });
        }),
        { numRuns: dialect === 'postgres' ? 15 : 30 },
      );
    });
  });
}
