import type { Principal } from '../accounts/accounts.js';
import type { Db } from '../db/connection.js';
import { PixapiError } from '../errors.js';
import { TaskStore } from '../tasks/task-store.js';
import { budgetPeriods, type BudgetReader } from './budget.js';
import type { CounterKind, Counters } from './counters.js';
import { rateHeaders, retryAfterSeconds, type WindowState } from './headers.js';
import type { LimitStore } from './limit-store.js';
import { isUnlimited, type LimitSet } from './types.js';

/** Which limit refused a request, for metrics (a small fixed set: bounded label values). */
export type Refusal =
  'rpm' | 'images_per_minute' | 'max_concurrent' | 'daily_credits' | 'monthly_credits';

export interface LimitDeps {
  db: Db;
  store: LimitStore;
  counters: Counters;
  budgets: BudgetReader;
  onRefused?: (limit: Refusal, scope: 'key' | 'account') => void;
}

export interface AdmissionRequest {
  principal: Principal;
  images: number;
  /** Millicredits the request may cost at most (its hold). */
  maxCost: number;
}

/** An admitted request: headers for its response, and its concurrency slot to give back. */
export interface Admission {
  headers: Record<string, string>;
  release(): Promise<void>;
}

interface Scope {
  name: 'key' | 'account';
  id: string;
  limits: LimitSet;
}

interface Taken {
  kind: CounterKind;
  key: string;
  points: number;
}

const UNLIMITED: Admission = { headers: {}, release: async () => {} };

function rateLimited(message: string, retryAfterMs: number, headers: Record<string, string>) {
  return new PixapiError({
    code: 'rate_limit_exceeded',
    message,
    headers: { ...headers, 'retry-after': retryAfterSeconds(retryAfterMs) },
  });
}

function budgetExceeded(message: string, untilResetMs: number) {
  return new PixapiError({
    code: 'budget_exceeded',
    message,
    // Hours may pass before the reset: clients must not retry by themselves.
    retryable: false,
    headers: { 'retry-after': retryAfterSeconds(untilResetMs) },
  });
}

/**
 * Enforces the limits of a key and of its account before anything is held or called:
 * budgets first (reads only), then the per-minute rates, then the concurrency slot. A refused
 * request takes nothing from any counter.
 */
export class LimitService {
  constructor(private readonly deps: LimitDeps) {}

  async admit(request: AdmissionRequest): Promise<Admission> {
    const { principal } = request;
    const keyId = principal.keyId;
    // A dashboard session has no key: only its account's limits apply.
    const limits =
      keyId === null
        ? { key: null, account: (await this.deps.store.account(principal.accountId)).effective }
        : await this.deps.store.effective(keyId);
    if ((limits.key === null || isUnlimited(limits.key)) && isUnlimited(limits.account)) {
      return UNLIMITED;
    }
    const scopes: Scope[] = [
      ...(keyId === null || limits.key === null
        ? []
        : [{ name: 'key' as const, id: keyId, limits: limits.key }]),
      { name: 'account', id: principal.accountId, limits: limits.account },
    ];
    const now = Date.now();
    for (const scope of scopes) await this.checkBudget(scope, principal, request.maxCost, now);

    const taken: Taken[] = [];
    try {
      const requests = await this.rate(scopes, 'rpm', 1, taken);
      const images = await this.rate(scopes, 'imagesPerMinute', request.images, taken);
      const headers = {
        ...(requests ? rateHeaders('requests', requests) : {}),
        ...(images ? rateHeaders('images', images) : {}),
      };
      for (const scope of scopes) await this.claimSlot(scope, principal, taken, headers);
      const slots = taken.filter((t) => t.kind === 'inFlight');
      let released = false;
      return {
        headers,
        release: async () => {
          if (released) return;
          released = true;
          await this.giveBack(slots);
        },
      };
    } catch (error) {
      await this.giveBack(taken);
      throw error;
    }
  }

  /** Adds to each scope's window; returns the tightest window, or throws when one is over. */
  private async rate(
    scopes: Scope[],
    name: 'rpm' | 'imagesPerMinute',
    points: number,
    taken: Taken[],
  ): Promise<WindowState | undefined> {
    let tightest: WindowState | undefined;
    const unit = name === 'rpm' ? 'requests' : 'images';
    for (const scope of scopes) {
      const limit = scope.limits[name];
      if (limit === null) continue;
      const key = `${scope.name}:${scope.id}:${unit}`;
      const count = await this.deps.counters.add('minute', key, points);
      taken.push({ kind: 'minute', key, points });
      const window = {
        limit,
        remaining: limit - count.consumed,
        msBeforeReset: count.msBeforeReset,
      };
      if (window.remaining < 0) {
        this.deps.onRefused?.(name === 'rpm' ? 'rpm' : 'images_per_minute', scope.name);
        // What is left once this request is taken back out.
        const left = { ...window, remaining: window.remaining + points };
        throw rateLimited(
          `Rate limit reached for ${unit} per minute on this ${scope.name}: ${limit}. ` +
            `Retry in ${retryAfterSeconds(window.msBeforeReset)} s.`,
          window.msBeforeReset,
          {
            ...(tightest ? rateHeaders(unit, tightest) : {}),
            ...rateHeaders(unit, left),
          },
        );
      }
      if (!tightest || window.remaining < tightest.remaining) tightest = window;
    }
    return tightest;
  }

  private async claimSlot(
    scope: Scope,
    principal: Principal,
    taken: Taken[],
    headers: Record<string, string>,
  ): Promise<void> {
    const limit = scope.limits.maxConcurrent;
    if (limit === null) return;
    const key = `${scope.name}:${scope.id}:concurrent`;
    const count = await this.deps.counters.add('inFlight', key, 1);
    taken.push({ kind: 'inFlight', key, points: 1 });
    if (count.consumed > limit) return this.refuseSlot(scope, limit, headers);
    // Accepted tasks hold a slot until they end, whichever process runs them.
    const tasks = await this.openTasks(scope, principal);
    if (count.consumed + tasks > limit) this.refuseSlot(scope, limit, headers);
  }

  private refuseSlot(scope: Scope, limit: number, headers: Record<string, string>): never {
    this.deps.onRefused?.('max_concurrent', scope.name);
    throw rateLimited(
      `Too many concurrent requests on this ${scope.name}: at most ${limit} at a time.`,
      1000,
      headers,
    );
  }

  private async openTasks(scope: Scope, principal: Principal): Promise<number> {
    return new TaskStore(this.deps.db.kysely).countOpen(
      principal.accountId,
      scope.name === 'key' ? scope.id : undefined,
    );
  }

  private async checkBudget(
    scope: Scope,
    principal: Principal,
    cost: number,
    now: number,
  ): Promise<void> {
    const { dailyCredits: daily, monthlyCredits: monthly } = scope.limits;
    if (daily === null && monthly === null) return;
    const spent = await this.deps.budgets.spent(
      scope.name === 'key'
        ? { accountId: principal.accountId, keyId: scope.id }
        : { accountId: principal.accountId },
      now,
    );
    const periods = budgetPeriods(now);
    if (daily !== null && spent.today + cost > daily) {
      this.deps.onRefused?.('daily_credits', scope.name);
      throw budgetExceeded(
        `The daily credit budget of this ${scope.name} is spent; it resets at 00:00 UTC.`,
        periods.dayEnd - now,
      );
    }
    if (monthly !== null && spent.thisMonth + cost > monthly) {
      this.deps.onRefused?.('monthly_credits', scope.name);
      throw budgetExceeded(
        `The monthly credit budget of this ${scope.name} is spent; it resets on the 1st at 00:00 UTC.`,
        periods.monthEnd - now,
      );
    }
  }

  private async giveBack(taken: Taken[]): Promise<void> {
    await Promise.all(taken.map((t) => this.deps.counters.remove(t.kind, t.key, t.points)));
  }
}
