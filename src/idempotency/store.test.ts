import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../test/helpers/database.js';
import { postgresAvailable } from '../../test/helpers/postgres.js';
import type { Db } from '../db/connection.js';
import { IdempotencyStore } from './store.js';

const LOCK = 60_000;
const TTL = 3_600_000;
const T0 = 1_700_000_000_000;
const RESPONSE = {
  status: 200,
  headers: { 'content-type': 'application/json; charset=utf-8', 'x-pixapi-credits-charged': '4' },
  body: '{"created":1,"data":[]}',
};

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe.skipIf(dialect === 'postgres' && !postgresAvailable)(
    `idempotency store on ${dialect}`,
    () => {
      let handle: { db: Db; close(): Promise<void> };
      let store: IdempotencyStore;
      let n = 0;

      beforeAll(async () => {
        handle = await openTestDatabase(dialect);
        store = new IdempotencyStore(handle.db, { lockMs: LOCK, ttlMs: TTL });
      });
      afterAll(async () => handle?.close());

      // Keys belong to accounts (a foreign key): each test gets its own.
      async function newAccount(): Promise<string> {
        const id = `acc_idem_${dialect}_${++n}`;
        await handle.db.kysely
          .insertInto('accounts')
          .values({ id, name: id, is_admin: 0, webhook_secret: 'whsec_x', created_at: T0 })
          .execute();
        return id;
      }

      it('claims a new key once; the same request then sees it in flight', async () => {
        const acc = await newAccount();
        expect(await store.claim(acc, 'k1', 'fp', T0)).toEqual({ kind: 'claimed' });
        expect(await store.claim(acc, 'k1', 'fp', T0 + 1)).toEqual({ kind: 'in_flight' });
      });

      it('of 20 concurrent claims, exactly one wins', async () => {
        const acc = await newAccount();
        const results = await Promise.all(
          Array.from({ length: 20 }, () => store.claim(acc, 'race', 'fp', T0)),
        );
        const kinds = results.map((r) => r.kind);
        expect(kinds.filter((k) => k === 'claimed')).toHaveLength(1);
        expect(kinds.filter((k) => k === 'in_flight')).toHaveLength(19);
      });

      it('answers mismatch for the same key with another fingerprint, in flight or done', async () => {
        const acc = await newAccount();
        await store.claim(acc, 'k', 'fp-a', T0);
        expect(await store.claim(acc, 'k', 'fp-b', T0 + 1)).toEqual({ kind: 'mismatch' });
        await store.complete(acc, 'k', RESPONSE, T0 + 2);
        expect(await store.claim(acc, 'k', 'fp-b', T0 + 3)).toEqual({ kind: 'mismatch' });
      });

      it('keys are per account', async () => {
        const a = await newAccount();
        const b = await newAccount();
        expect((await store.claim(a, 'shared', 'fp-a', T0)).kind).toBe('claimed');
        expect((await store.claim(b, 'shared', 'fp-b', T0)).kind).toBe('claimed');
      });

      it('replays the stored response after complete', async () => {
        const acc = await newAccount();
        await store.claim(acc, 'k', 'fp', T0);
        expect(await store.complete(acc, 'k', RESPONSE, T0 + 10)).toBe(true);
        expect(await store.claim(acc, 'k', 'fp', T0 + 20)).toEqual({ kind: 'replay', ...RESPONSE });
        // Done is final: not completed twice, not released.
        expect(await store.complete(acc, 'k', { ...RESPONSE, status: 500 }, T0 + 30)).toBe(false);
        expect(await store.release(acc, 'k')).toBe(false);
        expect(await store.claim(acc, 'k', 'fp', T0 + 40)).toMatchObject({ status: 200 });
      });

      it('release lets the next request claim the key again', async () => {
        const acc = await newAccount();
        await store.claim(acc, 'k', 'fp', T0);
        expect(await store.release(acc, 'k')).toBe(true);
        expect(await store.claim(acc, 'k', 'fp', T0 + 1)).toEqual({ kind: 'claimed' });
      });

      it('re-claims an in-flight key once its lock has passed, only for the same request', async () => {
        const acc = await newAccount();
        await store.claim(acc, 'k', 'fp', T0);
        expect((await store.claim(acc, 'k', 'fp', T0 + LOCK - 1)).kind).toBe('in_flight');
        expect((await store.claim(acc, 'k', 'other', T0 + LOCK + 1)).kind).toBe('mismatch');
        const later = T0 + LOCK + 1;
        const racers = await Promise.all(
          Array.from({ length: 10 }, () => store.claim(acc, 'k', 'fp', later)),
        );
        expect(racers.filter((r) => r.kind === 'claimed')).toHaveLength(1);
        // The new holder has a fresh lock.
        expect((await store.claim(acc, 'k', 'fp', later + LOCK - 1)).kind).toBe('in_flight');
      });

      it('treats expired keys as absent, done or in flight, whatever their fingerprint', async () => {
        const acc = await newAccount();
        await store.claim(acc, 'done', 'fp', T0);
        await store.complete(acc, 'done', RESPONSE, T0);
        await store.claim(acc, 'stuck', 'fp', T0);
        const later = T0 + TTL + 1;
        expect(await store.claim(acc, 'done', 'new-fp', later)).toEqual({ kind: 'claimed' });
        expect(await store.claim(acc, 'stuck', 'fp', later)).toEqual({ kind: 'claimed' });
        // The takeover cleared the old response and starts a new life.
        expect(await store.claim(acc, 'done', 'new-fp', later + 1)).toEqual({ kind: 'in_flight' });
      });

      it('keeps a completed key a full TTL from its completion', async () => {
        const acc = await newAccount();
        await store.claim(acc, 'k', 'fp', T0);
        await store.complete(acc, 'k', RESPONSE, T0 + 1000);
        expect((await store.claim(acc, 'k', 'fp', T0 + TTL + 500)).kind).toBe('replay');
      });

      it('deleteExpired removes only expired keys', async () => {
        const acc = await newAccount();
        const base = T0 + 10 * TTL;
        await store.claim(acc, 'old', 'fp', base);
        await store.claim(acc, 'new', 'fp', base + TTL);
        const deleted = await store.deleteExpired(base + TTL);
        expect(deleted).toBeGreaterThanOrEqual(1);
        const left = await handle.db.kysely
          .selectFrom('idempotency_keys')
          .select('key')
          .where('account_id', '=', acc)
          .execute();
        expect(left.map((r) => r.key)).toEqual(['new']);
      });
    },
  );
}
