import type { Kysely } from 'kysely';
import type { Db } from '../db/connection.js';
import type { Database } from '../db/schema.js';
import { queryIn, type TransactionHandle } from '../db/transaction.js';

/** A response kept for replay: the status, the replayable headers and the body as sent. */
export interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** What `claim` found: the caller runs the request only on `claimed`. */
export type ClaimResult =
  | { kind: 'claimed' }
  | ({ kind: 'replay' } & StoredResponse)
  | { kind: 'in_flight' }
  | { kind: 'mismatch' };

export interface IdempotencyStoreOptions {
  /**
   * How long a claim stays exclusive. Past it, the holder is presumed dead (the process crashed
   * mid-request) and a retry with the same body may claim the key again.
   */
  lockMs?: number;
  /** How long a key is remembered; past it the key is treated as never used. */
  ttlMs?: number;
}

const MINUTE = 60_000;

// A claim races with at most a few others (release, expiry takeover); each lost race means the
// row changed, so a handful of rounds always settles.
const MAX_ROUNDS = 5;

/**
 * Idempotency keys per account (IETF draft "The Idempotency-Key HTTP Header Field"). A key is
 * claimed atomically with `INSERT ... ON CONFLICT DO NOTHING`, so of any number of concurrent
 * requests exactly one runs; the others see it in flight, and later ones replay its response.
 * Taking over a stale row is a conditional UPDATE on the state that made it stale, so that too
 * has a single winner on both SQLite and PostgreSQL.
 *
 * @example
 * const store = new IdempotencyStore(db);
 * const claim = await store.claim(accountId, key, fingerprint, Date.now());
 * if (claim.kind === 'claimed') {
 *   await store.complete(accountId, key, { status: 200, headers: {}, body: '{"ok":true}' });
 * }
 */
export class IdempotencyStore {
  readonly lockMs: number;
  readonly ttlMs: number;

  constructor(
    private readonly db: Db,
    options: IdempotencyStoreOptions = {},
  ) {
    this.lockMs = options.lockMs ?? 10 * MINUTE;
    this.ttlMs = options.ttlMs ?? 24 * 60 * MINUTE;
  }

  private get k(): Kysely<Database> {
    return this.db.kysely;
  }

  async claim(
    accountId: string,
    key: string,
    fingerprint: string,
    now: number = Date.now(),
  ): Promise<ClaimResult> {
    for (let round = 0; round < MAX_ROUNDS; round++) {
      if (await this.insert(accountId, key, fingerprint, now)) return { kind: 'claimed' };
      const row = await this.k
        .selectFrom('idempotency_keys')
        .selectAll()
        .where('account_id', '=', accountId)
        .where('key', '=', key)
        .executeTakeFirst();
      // Released or swept between our insert and this read: try the insert again.
      if (!row) continue;
      if (row.expires_at <= now) {
        if (await this.takeOverExpired(accountId, key, fingerprint, now))
          return { kind: 'claimed' };
        continue;
      }
      if (row.fingerprint !== fingerprint) return { kind: 'mismatch' };
      if (row.state === 'done') {
        return {
          kind: 'replay',
          status: Number(row.response_status),
          headers: JSON.parse(row.response_headers ?? '{}') as Record<string, string>,
          body: row.response_body ?? '',
        };
      }
      if (row.locked_until > now) return { kind: 'in_flight' };
      if (await this.takeOverStale(accountId, key, fingerprint, now)) return { kind: 'claimed' };
    }
    // Still contended after several rounds: someone else holds it right now.
    return { kind: 'in_flight' };
  }

  /**
   * Stores the response of a claimed key; later claims with the same body replay it.
   * @param transaction the work's own, for the response to commit with its effects
   */
  async complete(
    accountId: string,
    key: string,
    response: StoredResponse,
    now: number = Date.now(),
    transaction?: TransactionHandle,
  ): Promise<boolean> {
    const executor = transaction ? queryIn(transaction) : this.k;
    const result = await executor
      .updateTable('idempotency_keys')
      .set({
        state: 'done',
        response_status: response.status,
        response_headers: JSON.stringify(response.headers),
        response_body: response.body,
        // Kept a full TTL from the response, not from the claim: "at least 24 h" for the client.
        expires_at: now + this.ttlMs,
      })
      .where('account_id', '=', accountId)
      .where('key', '=', key)
      .where('state', '=', 'in_flight')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Forgets an in-flight key, so that a retry runs anew (server errors, 429, streams). */
  async release(accountId: string, key: string): Promise<boolean> {
    const result = await this.k
      .deleteFrom('idempotency_keys')
      .where('account_id', '=', accountId)
      .where('key', '=', key)
      .where('state', '=', 'in_flight')
      .executeTakeFirst();
    return Number(result.numDeletedRows) === 1;
  }

  /** Deletes keys past their expiry; returns how many. Safe to run from several processes. */
  async deleteExpired(now: number = Date.now()): Promise<number> {
    const result = await this.k
      .deleteFrom('idempotency_keys')
      .where('expires_at', '<=', now)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /** A claim in flight with nothing stored yet: what a new or taken-over key row holds. */
  private freshClaim(fingerprint: string, now: number) {
    return {
      fingerprint,
      state: 'in_flight' as const,
      response_status: null,
      response_headers: null,
      response_body: null,
      created_at: now,
      locked_until: now + this.lockMs,
      expires_at: now + this.ttlMs,
    };
  }

  private async insert(accountId: string, key: string, fingerprint: string, now: number) {
    const result = await this.k
      .insertInto('idempotency_keys')
      .values({
        account_id: accountId,
        key,
        ...this.freshClaim(fingerprint, now),
      })
      .onConflict((oc) => oc.columns(['account_id', 'key']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
  }

  /** An expired row is as good as absent: overwrite it, whatever it held, if still expired. */
  private async takeOverExpired(accountId: string, key: string, fingerprint: string, now: number) {
    const result = await this.k
      .updateTable('idempotency_keys')
      .set(this.freshClaim(fingerprint, now))
      .where('account_id', '=', accountId)
      .where('key', '=', key)
      .where('expires_at', '<=', now)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** An in-flight row whose lock has passed: its holder died; the same request may run again. */
  private async takeOverStale(accountId: string, key: string, fingerprint: string, now: number) {
    const result = await this.k
      .updateTable('idempotency_keys')
      .set({ locked_until: now + this.lockMs })
      .where('account_id', '=', accountId)
      .where('key', '=', key)
      .where('state', '=', 'in_flight')
      .where('fingerprint', '=', fingerprint)
      .where('locked_until', '<=', now)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }
}
