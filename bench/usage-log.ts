import { sql, type Kysely } from 'kysely';
import { fillUsageByDay } from '../src/db/migrations/010-usage-by-day.js';
import type { Db } from '../src/db/connection.js';
import { UsageLog } from '../src/usage/usage-log.js';
import { openTestDatabase } from '../test/helpers/database.js';
import { percentile } from './lib.js';

/** Usage rows seeded; `PIXAPI_BENCH_USAGE_ROWS` shortens runs. 9 in 10 belong to one account. */
const ROWS = Number(process.env.PIXAPI_BENCH_USAGE_ROWS ?? 1_000_000);
const DAY = 86_400_000;
const SPAN_DAYS = 60;

/** `ROWS` records over the last 60 days, written by the database itself in one statement. */
async function seed(db: Db, now: number): Promise<void> {
  const start = now - SPAN_DAYS * DAY;
  const step = Math.floor((SPAN_DAYS * DAY) / ROWS);
  await sql`insert into accounts (id, name, is_admin, webhook_secret, created_at)
    select 'acc_heavy', 'heavy', 0, 'x', 0`.execute(db.kysely);
  await sql`
    with recursive s(i) as (select 0 union all select i + 1 from s where i < 99)
    insert into accounts (id, name, is_admin, webhook_secret, created_at)
    select 'acc_other_' || i, 'other ' || i, 0, 'x', 0 from s`.execute(db.kysely);
  await sql`
    with recursive s(i) as (select 1 union all select i + 1 from s where i < ${ROWS})
    insert into usage_records (id, request_id, account_id, key_id, model, requested_model, route,
      endpoint, status, error_code, images, credits, latency_ms, attempts, user_ref, metadata,
      created_at)
    select 'usage_' || substr('0000000000' || i, -10), 'req_' || i,
           case when i % 10 = 0 then 'acc_other_' || (i % 100) else 'acc_heavy' end,
           'key_' || (i % 5),
           case i % 4 when 0 then 'gpt-image-2' when 1 then 'flux-2' when 2 then 'nano-banana' else 'seedream-4' end,
           null, 'local/x', 'images.generations',
           case when i % 20 = 0 then 'failed' else 'succeeded' end,
           case when i % 20 = 0 then 'provider_error' else null end,
           1, 40000, 1200, 1, null, null, cast(${start} as bigint) + cast(i as bigint) * ${step}
    from s`.execute(db.kysely);
  // The daily sums, as migration 010 fills them from an existing log.
  await fillUsageByDay(db.kysely as unknown as Kysely<unknown>);
  await sql`analyze`.execute(db.kysely);
}

async function time(label: string, fn: () => Promise<unknown>, runs = 15) {
  await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return { label, p50: percentile(samples, 50), max: samples.at(-1)! };
}

/**
 * The dashboard's usage log on one account with 900 000 of 1 000 000 records: the first page,
 * a deep page, each filter, the id lookups, the 30-day series and a week of CSV rows; then the
 * daily series summed from the records as before migration 010 (with the covering index it
 * had then), and the status filter again without the index of migration 006 that serves it.
 */
export async function benchUsageLog(): Promise<void> {
  for (const dialect of ['sqlite', 'postgres'] as const) {
    let handle: Awaited<ReturnType<typeof openTestDatabase>>;
    try {
      handle = await openTestDatabase(dialect);
    } catch (error) {
      console.log(`\n(${dialect} unavailable, skipped: ${(error as Error).message})`);
      continue;
    }
    try {
      const now = Date.now();
      const seeded = performance.now();
      await seed(handle.db, now);
      const seedS = ((performance.now() - seeded) / 1000).toFixed(1);
      const usage = new UsageLog(handle.db);
      const page = { limit: 50 };
      const middle = `usage_${String(Math.floor(ROWS / 2)).padStart(10, '0')}`;
      const cases = [
        () => time('first page', () => usage.list('acc_heavy', page)),
        () =>
          time('page after the 450 000th row', () =>
            usage.list('acc_heavy', { ...page, after: middle }),
          ),
        () => time('model filter', () => usage.list('acc_heavy', { ...page, model: 'flux-2' })),
        () =>
          time('status=failed (5 %)', () => usage.list('acc_heavy', { ...page, status: 'failed' })),
        () => time('key filter', () => usage.list('acc_heavy', { ...page, keyId: 'key_3' })),
        () =>
          time('one day (from/to)', () =>
            usage.list('acc_heavy', { ...page, from: now - 31 * DAY, to: now - 30 * DAY }),
          ),
        () =>
          time('request id lookup', () =>
            usage.list('acc_heavy', { ...page, requestId: 'req_777777' }),
          ),
        () =>
          time('task id lookup', () => usage.list('acc_heavy', { ...page, taskId: 'task_none' })),
        () => time('30-day daily series', () => usage.daily('acc_heavy', now - 30 * DAY), 5),
        () =>
          time(
            'CSV rows of one week (~105 000)',
            async () => {
              let images = 0;
              for await (const record of usage.all({ accountId: 'acc_heavy', from: now - 7 * DAY }))
                images += record.images;
              return images;
            },
            2,
          ),
      ];
      const results = [];
      for (const run of cases) results.push(await run());
      await sql`drop index usage_records_account_status`.execute(handle.db.kysely);
      results.push(
        await time(
          'status=failed, without usage_records_account_status',
          () => usage.list('acc_heavy', { ...page, status: 'failed' }),
          3,
        ),
      );
      await sql`create index usage_records_daily
        on usage_records (account_id, created_at, model, images, credits)`.execute(
        handle.db.kysely,
      );
      results.push(
        await time(
          '30-day daily series summed from the records (before migration 010)',
          () =>
            sql`select created_at / 86400000 as day, model, count(*), sum(images), sum(credits)
                from usage_records where account_id = 'acc_heavy' and created_at >= ${now - 30 * DAY}
                group by created_at / 86400000, model`.execute(handle.db.kysely),
          3,
        ),
      );
      console.log(
        `\n## Usage log on ${dialect}: ${ROWS} records (${seedS} s to seed), 90 % in one account\n`,
      );
      console.log('| query (50 rows) | p50 ms | max ms |');
      console.log('| --- | ---: | ---: |');
      for (const r of results)
        console.log(`| ${r.label} | ${r.p50.toFixed(2)} | ${r.max.toFixed(2)} |`);
    } finally {
      await handle.close();
    }
  }
}
