import type { Principal } from '../accounts/accounts.js';
import type { Transaction } from 'kysely';
import type { Balance, Ledger } from '../billing/ledger.js';
import type { Db } from '../db/connection.js';
import type { Database } from '../db/schema.js';
import type { Log } from '../observability/logger.js';
import { isDatabaseUnavailable, retryWhileUnavailable } from '../db/unavailable.js';
import { PixapiError } from '../errors.js';
import { sortableId } from '../ids.js';
import type { UsageLog } from '../usage/usage-log.js';
import type { ImageRequest } from './request.js';

export interface ChargeDeps {
  db: Db;
  ledger: Ledger;
  usage: UsageLog;
  log: Log;
}

export interface ChargeContext {
  principal: Principal;
  requestId: string;
  endpoint: string;
}

export interface RouteInfo {
  route: string | null;
  attempts: number;
}

/**
 * The money side of one request: the hold taken before the provider is called, then exactly
 * one settlement — capture of the delivered images (the rest released) or release of all —
 * each with its usage record. Sync requests, streams and tasks all settle through this.
 */
export class Charge {
  private readonly started = performance.now();
  private settled = false;

  private constructor(
    private readonly deps: ChargeDeps,
    private readonly context: ChargeContext,
    private readonly request: ImageRequest,
    readonly holdId: string | undefined,
    readonly perImage: number,
  ) {}

  /** Holds `n × price`; throws 402 (recorded in the usage log) when the balance is short. */
  static async open(
    deps: ChargeDeps,
    context: ChargeContext,
    request: ImageRequest,
    price: { perImage: number; total: number },
    ttlMs: number,
  ): Promise<Charge> {
    // Known before holding: a connection lost during the commit leaves the hold in doubt, and
    // releasing it by id (a no-op when it was not made) settles the doubt.
    const holdId = sortableId('hold');
    try {
      const hold = await deps.ledger.hold({
        id: holdId,
        accountId: context.principal.accountId,
        amount: price.total,
        reference: context.requestId,
        ttlMs,
      });
      return new Charge(deps, context, request, hold.id, price.perImage);
    } catch (error) {
      const inDoubt = isDatabaseUnavailable(error) ? holdId : undefined;
      await new Charge(deps, context, request, inDoubt, price.perImage).fail(error, {
        route: null,
        attempts: 0,
      });
      throw error;
    }
  }

  /** A charge for a hold made earlier (by a task's submission). */
  static resume(
    deps: ChargeDeps,
    context: ChargeContext,
    request: ImageRequest,
    holdId: string,
    perImage: number,
  ): Charge {
    return new Charge(deps, context, request, holdId, perImage);
  }

  /** Records a request that failed before any hold (validation, availability). */
  static async recordFailure(
    deps: ChargeDeps,
    context: ChargeContext,
    request: ImageRequest,
    error: unknown,
  ): Promise<void> {
    await new Charge(deps, context, request, undefined, 0).fail(error, {
      route: null,
      attempts: 0,
    });
  }

  private usageBase() {
    return {
      requestId: this.context.requestId,
      accountId: this.context.principal.accountId,
      keyId: this.context.principal.keyId,
      model: this.request.model.id,
      requestedModel: this.request.requestedModel.id,
      endpoint: this.context.endpoint,
      user: this.request.user ?? null,
      metadata: this.request.metadata ?? null,
      latencyMs: performance.now() - this.started,
    };
  }

  /** True once `succeed` or `fail` ran: a charge settles once. */
  get isSettled(): boolean {
    return this.settled;
  }

  /**
   * Captures `images × price` (freeing the rest of the hold) and records the success in one
   * transaction, with whatever `onCommit` adds to it (the idempotency record of the response):
   * either all of it happens or none, so a failure here leaves the hold open to release.
   */
  async succeed(
    images: number,
    routing: RouteInfo,
    onCommit?: (trx: Transaction<Database>, balance: Balance) => Promise<void>,
  ): Promise<{ charged: number; balance: Balance }> {
    const charged = images * this.perImage;
    const accountId = this.context.principal.accountId;
    const balance = await this.deps.db.kysely.transaction().execute(async (trx) => {
      // The capture (the account's balance row) before the usage record (its day's spend row),
      // as a task's completion does: on PostgreSQL both rows stay locked until the commit, and
      // two transactions taking them in opposite orders would deadlock.
      const settled = this.holdId
        ? await this.deps.ledger.captureWithBalance(this.holdId, charged, trx, accountId)
        : { captured: true, balance: await this.deps.ledger.balance(accountId, trx) };
      if (!settled.captured) {
        // Only an expired hold gets here (the sweeper settled it): the images are delivered,
        // but cannot be charged without risking an overdraft.
        this.deps.log.error(
          { hold: this.holdId, charged },
          'hold already settled: outputs not charged',
        );
      }
      await this.deps.usage.record(
        {
          ...this.usageBase(),
          ...routing,
          status: 'succeeded',
          errorCode: null,
          images,
          credits: charged,
        },
        trx,
      );
      await onCommit?.(trx, settled.balance);
      return settled.balance;
    });
    this.settled = true;
    return { charged, balance };
  }

  /** Releases the whole hold and records the failure; nothing is charged. */
  async fail(error: unknown, routing: RouteInfo): Promise<void> {
    this.settled = true;
    const holdId = this.holdId;
    if (holdId) await retryWhileUnavailable(() => this.deps.ledger.release(holdId));
    await this.deps.usage.record({
      ...this.usageBase(),
      ...routing,
      status: 'failed',
      errorCode: error instanceof PixapiError ? error.code : 'internal_error',
      images: 0,
      credits: 0,
    });
  }
}
