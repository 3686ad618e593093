import { sql, type Selectable, type Transaction } from 'kysely';
import type { Db } from '../db/connection.js';
import { insertRow, prepared } from '../db/prepared.js';
import type { Database, UsageRecordsTable } from '../db/schema.js';
import { sortableId } from '../ids.js';

export interface UsageEntry {
  requestId: string;
  accountId: string;
  keyId: string | null;
  /** The model that served. */
  model: string;
  /** The model the client asked for (differs from `model` after a lifecycle redirect). */
  requestedModel: string;
  route: string | null;
  endpoint: string;
  status: 'succeeded' | 'failed' | 'blocked';
  errorCode: string | null;
  /** The moderation rule or category that blocked the request. */
  blockedReason?: string | null;
  images: number;
  /** Millicredits charged. */
  credits: number;
  latencyMs: number;
  attempts: number;
  user: string | null;
  metadata: Record<string, string> | null;
}

/** Filters of the usage log; an undefined account means every account (admins). */
export interface UsageFilter {
  accountId?: string;
  from?: number;
  to?: number;
  /** Served or requested (redirects). */
  model?: string;
  keyId?: string;
  status?: UsageEntry['status'];
  requestId?: string;
  taskId?: string;
}

export interface UsageQuery extends Omit<UsageFilter, 'accountId'> {
  limit: number;
  after?: string;
}

export interface UsageRecord extends UsageEntry {
  id: string;
  createdAt: number;
  /** The async task this request ran for, if any. */
  taskId: string | null;
}

type Row = Selectable<UsageRecordsTable> & { task_id: string | null };

function toRecord(r: Row): UsageRecord {
  return {
    id: r.id,
    requestId: r.request_id,
    accountId: r.account_id,
    keyId: r.key_id,
    model: r.model,
    requestedModel: r.requested_model ?? r.model,
    route: r.route,
    endpoint: r.endpoint,
    status: r.status,
    errorCode: r.error_code,
    blockedReason: r.blocked_reason,
    images: r.images,
    credits: Number(r.credits),
    latencyMs: r.latency_ms,
    attempts: r.attempts,
    user: r.user_ref,
    metadata: r.metadata ? (JSON.parse(r.metadata) as Record<string, string>) : null,
    createdAt: Number(r.created_at),
    taskId: r.task_id,
  };
}

const DAY_MS = 86_400_000;

/**
 * What budgets read (limits/budget.ts): the day's spend of the account under the key, kept in
 * the transaction of the usage record that charged it.
 */
const addSpend = prepared<{ accountId: string; keyId: string; day: number; credits: number }>()(
  (db, arg) =>
    db
      .insertInto('spend_by_day')
      .values({
        account_id: arg('accountId'),
        key_id: arg('keyId'),
        day: arg('day'),
        credits: arg('credits'),
      })
      .onConflict((oc) =>
        oc
          .columns(['account_id', 'key_id', 'day'])
          .doUpdateSet({ credits: sql`spend_by_day.credits + excluded.credits` }),
      ),
);

/**
 * What the daily chart reads (`daily`): the day's requests, images and credits of the account
 * on the model, kept in the transaction of each usage record.
 */
const addToDay = prepared<{
  accountId: string;
  day: number;
  model: string;
  images: number;
  credits: number;
}>()((db, arg) =>
  db
    .insertInto('usage_by_day')
    .values({
      account_id: arg('accountId'),
      day: arg('day'),
      model: arg('model'),
      requests: 1,
      images: arg('images'),
      credits: arg('credits'),
    })
    .onConflict((oc) =>
      oc.columns(['account_id', 'day', 'model']).doUpdateSet({
        requests: sql`usage_by_day.requests + 1`,
        images: sql`usage_by_day.images + excluded.images`,
        credits: sql`usage_by_day.credits + excluded.credits`,
      }),
    ),
);

/** One record per request that reached a model: what ran, what it cost, how long it took. */
export class UsageLog {
  /** Told of every record written (metrics). */
  onRecord: (entry: UsageEntry) => void = () => {};

  constructor(private readonly db: Db) {}

  /**
   * Writes the record and adds it to its day's sums, in one transaction: the caller's when
   * given (to commit with other rows), else its own.
   */
  async record(entry: UsageEntry, trx?: Transaction<Database>): Promise<string> {
    const id = trx
      ? await this.write(entry, trx)
      : await this.db.kysely.transaction().execute((own) => this.write(entry, own));
    // After its own commit; in a caller's transaction, before the caller's commit.
    this.onRecord(entry);
    return id;
  }

  private async write(entry: UsageEntry, trx: Transaction<Database>): Promise<string> {
    const id = sortableId('usage');
    const createdAt = Date.now();
    await insertRow(trx, 'usage_records', {
      id,
      request_id: entry.requestId,
      account_id: entry.accountId,
      key_id: entry.keyId,
      model: entry.model,
      requested_model: entry.requestedModel,
      route: entry.route,
      endpoint: entry.endpoint,
      status: entry.status,
      error_code: entry.errorCode,
      images: entry.images,
      credits: entry.credits,
      latency_ms: Math.round(entry.latencyMs),
      attempts: entry.attempts,
      user_ref: entry.user,
      metadata: entry.metadata ? JSON.stringify(entry.metadata) : null,
      blocked_reason: entry.blockedReason ?? null,
      created_at: createdAt,
    });
    const day = createdAt - (createdAt % DAY_MS);
    // The spend row before the day's usage row: on PostgreSQL a settlement keeps both locked
    // until its commit, after the account's balance row, and every writer takes them in this
    // order (test/hardening/lock-order.test.ts).
    if (entry.credits > 0) {
      await addSpend.affected(trx, {
        accountId: entry.accountId,
        keyId: entry.keyId ?? '',
        day,
        credits: entry.credits,
      });
    }
    await addToDay.affected(trx, {
      accountId: entry.accountId,
      day,
      model: entry.model,
      images: entry.images,
      credits: entry.credits,
    });
    return id;
  }

  /**
   * The records matching a filter, newest first (by time, then id), with their task ids. The
   * order is that of the `(account_id, created_at)` index, so that a page walks the index from
   * its start whatever the filters; status filters have their own index (migration 006).
   */
  private select(filter: UsageFilter) {
    let q = this.db.kysely
      .selectFrom('usage_records')
      .leftJoin('tasks', 'tasks.request_id', 'usage_records.request_id')
      .selectAll('usage_records')
      .select('tasks.id as task_id')
      .orderBy('usage_records.created_at', 'desc')
      .orderBy('usage_records.id', 'desc');
    if (filter.accountId !== undefined)
      q = q.where('usage_records.account_id', '=', filter.accountId);
    // A model filter finds the requests it served and those that asked for it (redirects).
    const model = filter.model;
    if (model) {
      q = q.where((eb) =>
        eb.or([
          eb('usage_records.model', '=', model),
          eb('usage_records.requested_model', '=', model),
        ]),
      );
    }
    if (filter.from !== undefined) q = q.where('usage_records.created_at', '>=', filter.from);
    if (filter.to !== undefined) q = q.where('usage_records.created_at', '<', filter.to);
    if (filter.keyId) q = q.where('usage_records.key_id', '=', filter.keyId);
    if (filter.status) q = q.where('usage_records.status', '=', filter.status);
    if (filter.requestId) q = q.where('usage_records.request_id', '=', filter.requestId);
    if (filter.taskId) q = q.where('tasks.id', '=', filter.taskId);
    return q;
  }

  /** The records after `after` (a record id) in the newest-first order. */
  private async after(q: ReturnType<UsageLog['select']>, after: string | undefined) {
    if (!after) return q;
    const anchor = await this.db.kysely
      .selectFrom('usage_records')
      .select('created_at')
      .where('id', '=', after)
      .executeTakeFirst();
    if (!anchor) return q.where('usage_records.id', '<', after);
    const at = anchor.created_at;
    // `created_at <= at` bounds the index range; the rest breaks ties within a millisecond.
    return q
      .where('usage_records.created_at', '<=', at)
      .where((eb) =>
        eb.or([eb('usage_records.created_at', '<', at), eb('usage_records.id', '<', after)]),
      );
  }

  /** Newest first; `after` is the id of the last record of the previous page. */
  async list(
    accountId: string | undefined,
    query: UsageQuery,
  ): Promise<{ records: UsageRecord[]; hasMore: boolean }> {
    const q = await this.after(
      this.select({ ...query, accountId }).limit(query.limit + 1),
      query.after,
    );
    const rows = await q.execute();
    return {
      records: rows.slice(0, query.limit).map(toRecord),
      hasMore: rows.length > query.limit,
    };
  }

  /** Every matching record, newest first, read in pages so that memory stays flat. */
  async *all(filter: UsageFilter, pageSize = 1000): AsyncGenerator<UsageRecord> {
    let after: string | undefined;
    for (;;) {
      const q = await this.after(this.select(filter).limit(pageSize), after);
      const rows = await q.execute();
      for (const row of rows) yield toRecord(row);
      if (rows.length < pageSize) return;
      after = rows.at(-1)!.id;
    }
  }

  async get(accountId: string | undefined, id: string): Promise<UsageRecord | undefined> {
    let q = this.select({ accountId }).where('usage_records.id', '=', id);
    q = q.limit(1);
    const row = await q.executeTakeFirst();
    return row ? toRecord(row) : undefined;
  }

  /**
   * Requests, images and credits per UTC day (days since the epoch) and model, from the UTC day
   * that holds `from` (ms).
   */
  async daily(accountId: string, from: number) {
    const rows = await this.db.kysely
      .selectFrom('usage_by_day')
      .select(['day', 'model', 'requests', 'images', 'credits'])
      .where('account_id', '=', accountId)
      .where('day', '>=', from - (from % DAY_MS))
      .orderBy('day')
      .orderBy('model')
      .execute();
    return rows.map((r) => ({
      day: Number(r.day) / DAY_MS,
      model: r.model,
      requests: Number(r.requests),
      images: Number(r.images),
      credits: Number(r.credits),
    }));
  }

  /** Requests and failures per provider route since `from` (UTC ms), for the admin's routes. */
  async routeHealth(from: number): Promise<Map<string, { requests: number; failed: number }>> {
    const rows = await this.db.kysely
      .selectFrom('usage_records')
      .select([
        'route',
        (eb) => eb.fn.countAll<string | number>().as('requests'),
        (eb) =>
          eb.fn
            .sum<string | number>(eb.case().when('status', '=', 'failed').then(1).else(0).end())
            .as('failed'),
      ])
      .where('created_at', '>=', from)
      .where('route', 'is not', null)
      .groupBy('route')
      .execute();
    const health = new Map<string, { requests: number; failed: number }>();
    for (const r of rows) {
      if (r.route !== null) {
        health.set(r.route, { requests: Number(r.requests), failed: Number(r.failed ?? 0) });
      }
    }
    return health;
  }
}
