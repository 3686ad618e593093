import os from 'node:os';
import { sql } from 'kysely';
import { AccountService } from '../src/accounts/accounts.js';
import { Ledger } from '../src/billing/ledger.js';
import type { Db } from '../src/db/connection.js';
import { openTestDatabase } from '../test/helpers/database.js';
import { LOAD_SECONDS, percentile } from './lib.js';

/** History rows added to the heavy account; `PIXAPI_BENCH_HISTORY_ROWS` shortens runs. */
const HISTORY_ROWS = Number(process.env.PIXAPI_BENCH_HISTORY_ROWS ?? 1_000_000);
const HOT_WORKERS = 32;
const CREDITS = 1_000_000_000_000;

/**
 * `rows` balance-neutral ledger rows (+1, −1, …) and as many settled holds, written by the
 * database itself in one statement each: the history of a long-lived account.
 */
async function addHistory(db: Db, accountId: string, rows: number): Promise<void> {
  await sql`
    with recursive s(i) as (select 1 union all select i + 1 from s where i < ${rows})
    insert into ledger_entries (id, account_id, kind, amount, hold_id, note, created_at)
    select 'led_history_' || i, ${accountId}, 'adjustment',
           case when i % 2 = 0 then 1 else -1 end, null, null, 0
    from s`.execute(db.kysely);
  await sql`
    with recursive s(i) as (select 1 union all select i + 1 from s where i < ${rows})
    insert into holds (id, account_id, amount, status, captured_amount, reference, expires_at, created_at, settled_at)
    select 'hold_history_' || i, ${accountId}, 1, 'released', 0, null, 0, 0, 0
    from s`.execute(db.kysely);
}

/** Hold latencies on one account (each hold released at once), for about `budgetMs`. */
async function holdLatencies(ledger: Ledger, accountId: string, budgetMs: number) {
  const samples: number[] = [];
  const end = performance.now() + budgetMs;
  while (samples.length < 20 || (performance.now() < end && samples.length < 5000)) {
    const t0 = performance.now();
    const hold = await ledger.hold({ accountId, amount: 1000, reference: 'bench', ttlMs: 60_000 });
    samples.push(performance.now() - t0);
    await ledger.release(hold.id);
  }
  return samples.sort((a, b) => a - b);
}

/** Hold then capture (a random part of the hold), by `HOT_WORKERS` loops on one account. */
async function hotAccount(ledger: Ledger, accountId: string, seconds: number) {
  let pairs = 0;
  let captured = 0;
  const end = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: HOT_WORKERS }, async () => {
      while (performance.now() < end) {
        const hold = await ledger.hold({
          accountId,
          amount: 1000,
          reference: 'hot',
          ttlMs: 60_000,
        });
        const amount = Math.floor(Math.random() * 1001);
        if (await ledger.capture(hold.id, amount)) captured += amount;
        pairs++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const balance = await ledger.balance(accountId);
  return {
    pairsPerSec: pairs / elapsed,
    exact: balance.balance === CREDITS - captured && balance.held === 0,
  };
}

/**
 * The yardstick for the hot account: single-statement commits per second on one row, by the same
 * `HOT_WORKERS` loops through the same pool and driver. Every ledger operation on an account
 * (a hold, a capture) must change that account's row in a commit of its own, so one account can
 * never do more than half this many hold+capture pairs per second.
 */
async function oneRowCommits(db: Db, seconds: number): Promise<number> {
  await sql`create table bench_one_row (id integer primary key, n bigint not null)`.execute(
    db.kysely,
  );
  await sql`insert into bench_one_row (id, n) values (1, 0)`.execute(db.kysely);
  let commits = 0;
  const end = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: HOT_WORKERS }, async () => {
      while (performance.now() < end) {
        await sql`update bench_one_row set n = n + 1 where id = 1`.execute(db.kysely);
        commits++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const row = await sql<{ n: number | string }>`select n from bench_one_row`.execute(db.kysely);
  if (Number(row.rows[0]?.n) !== commits) throw new Error('the one-row counter lost updates');
  return commits / elapsed;
}

/**
 * The ledger on its own: hold latency on an empty account against one with a long history
 * (the balance must not cost O(history)), and hold+capture pairs per second on one hot account
 * with an exact-credits check afterwards, against the database's own limit for one row in the
 * same run. SQLite, and PostgreSQL when it is reachable.
 */
export async function benchLedger(): Promise<void> {
  const rows: string[] = [];
  for (const dialect of ['sqlite', 'postgres'] as const) {
    let handle: Awaited<ReturnType<typeof openTestDatabase>>;
    try {
      // SQLite as `pixapi serve` opens it: checkpoints on another thread, not in commits.
      handle = await openTestDatabase(dialect, {
        backgroundCheckpoints: {
          onFailure: (error) => {
            throw error;
          },
        },
      });
    } catch (error) {
      console.log(`\n(${dialect} unavailable, skipped: ${(error as Error).message})`);
      continue;
    }
    try {
      const ledger = new Ledger(handle.db);
      const accounts = new AccountService(handle.db, ledger);
      const fresh = await accounts.create({ name: 'fresh', credits: CREDITS });
      const heavy = await accounts.create({ name: 'heavy', credits: CREDITS });
      const seeded = performance.now();
      await addHistory(handle.db, heavy.accountId, HISTORY_ROWS);
      const seedS = ((performance.now() - seeded) / 1000).toFixed(1);
      const empty = await holdLatencies(ledger, fresh.accountId, 2000);
      const full = await holdLatencies(ledger, heavy.accountId, 2000);
      const hot = await hotAccount(ledger, fresh.accountId, LOAD_SECONDS);
      const ceiling = await oneRowCommits(handle.db, LOAD_SECONDS);
      const p50Empty = percentile(empty, 50);
      const p50Full = percentile(full, 50);
      rows.push(
        `| ${dialect} | ${p50Empty.toFixed(3)} | ${p50Full.toFixed(3)} (${seedS} s to seed) | ${(p50Full / p50Empty).toFixed(2)} | ${hot.pairsPerSec.toFixed(0)} | ${hot.exact ? 'yes' : 'NO'} | ${ceiling.toFixed(0)} | ${((2 * hot.pairsPerSec) / ceiling).toFixed(2)} |`,
      );
    } finally {
      await handle.close();
    }
  }
  console.log(
    `\n## Ledger: hold p50 with 0 and ${HISTORY_ROWS} rows of history; hot account, ${HOT_WORKERS} loops (${os.cpus().length} CPUs)\n`,
  );
  console.log(
    '| database | hold p50 ms, empty | hold p50 ms, long history | history / empty | hold+capture pairs/s, one account | credits exact | one-row commits/s (database limit) | 2 × pairs / limit |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: |');
  for (const row of rows) console.log(row);
}
