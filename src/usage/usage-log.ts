import type { Kysely } from 'kysely';
import type { Db } from '../db/connection.js';
import type { Database } from '../db/schema.js';
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
  status: 'succeeded' | 'failed';
  errorCode: string | null;
  images: number;
  /** Millicredits charged. */
  credits: number;
  latencyMs: number;
  attempts: number;
  user: string | null;
  metadata: Record<string, string> | null;
}

export interface UsageQuery {
  from?: number;
  to?: number;
  model?: string;
  limit: number;
  after?: string;
}

export interface UsageRecord extends UsageEntry {
  id: string;
  createdAt: number;
}

/** One record per request that reached a model: what ran, what it cost, how long it took. */
export class UsageLog {
  constructor(private readonly db: Db) {}

  /** @param executor a transaction, when the record must commit with other rows */
  async record(entry: UsageEntry, executor: Kysely<Database> = this.db.kysely): Promise<string> {
    const id = sortableId('usage');
    await executor
      .insertInto('usage_records')
      .values({
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
        created_at: Date.now(),
      })
      .execute();
    return id;
  }

  /** Newest first; `after` is the id of the last record of the previous page. */
  async list(
    accountId: string,
    query: UsageQuery,
  ): Promise<{ records: UsageRecord[]; hasMore: boolean }> {
    let q = this.db.kysely
      .selectFrom('usage_records')
      .selectAll()
      .where('account_id', '=', accountId)
      .orderBy('id', 'desc')
      .limit(query.limit + 1);
    if (query.after) q = q.where('id', '<', query.after);
    // A model filter finds the requests it served and those that asked for it (redirects).
    const model = query.model;
    if (model)
      q = q.where((eb) => eb.or([eb('model', '=', model), eb('requested_model', '=', model)]));
    if (query.from !== undefined) q = q.where('created_at', '>=', query.from);
    if (query.to !== undefined) q = q.where('created_at', '<', query.to);
    const rows = await q.execute();
    const records = rows.slice(0, query.limit).map((r): UsageRecord => ({
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
      images: r.images,
      credits: r.credits,
      latencyMs: r.latency_ms,
      attempts: r.attempts,
      user: r.user_ref,
      metadata: r.metadata ? (JSON.parse(r.metadata) as Record<string, string>) : null,
      createdAt: r.created_at,
    }));
    return { records, hasMore: rows.length > query.limit };
  }
}
