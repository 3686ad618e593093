import CircuitBreaker from 'opossum';
import { UpstreamFailure } from '../providers/errors.js';

export interface BreakerOptions {
  /** Failure percentage over the rolling window that opens the breaker. */
  errorThresholdPercentage: number;
  /** Calls in the window before the percentage counts. */
  volumeThreshold: number;
  /** How long an open breaker skips the route before one probe call (half-open). */
  resetTimeoutMs: number;
  rollingWindowMs: number;
}

export const DEFAULT_BREAKER_OPTIONS: BreakerOptions = {
  errorThresholdPercentage: 50,
  volumeThreshold: 5,
  resetTimeoutMs: 30_000,
  rollingWindowMs: 60_000,
};

type Thunk = () => Promise<unknown>;

/**
 * Whether a failure says something about the route's health: only a failure an adapter
 * classified as the provider's does. Our own exceptions (a render bug, a database error, an
 * input that slipped through validation), the client's mistakes and safety refusals do not: one
 * tenant's requests must never get a route skipped for every other tenant.
 */
function countsAgainstRoute(error: unknown): boolean {
  if (!(error instanceof UpstreamFailure)) return false;
  return error.kind !== 'safety' && error.kind !== 'terminal';
}

/** One circuit breaker (opossum) per provider route, created on first use. */
export class RouteBreakers {
  private readonly breakers = new Map<string, CircuitBreaker<[Thunk], unknown>>();

  constructor(private readonly options: BreakerOptions = DEFAULT_BREAKER_OPTIONS) {}

  private breaker(route: string): CircuitBreaker<[Thunk], unknown> {
    let breaker = this.breakers.get(route);
    if (!breaker) {
      breaker = new CircuitBreaker((thunk: Thunk) => thunk(), {
        name: route,
        timeout: false,
        errorThresholdPercentage: this.options.errorThresholdPercentage,
        volumeThreshold: this.options.volumeThreshold,
        resetTimeout: this.options.resetTimeoutMs,
        rollingCountTimeout: this.options.rollingWindowMs,
        // opossum: returning true means "not a failure of the circuit".
        errorFilter: (error: unknown) => !countsAgainstRoute(error),
      });
      this.breakers.set(route, breaker);
    }
    return breaker;
  }

  /** True while the route is being skipped (open, and not yet due for a probe). */
  isOpen(route: string): boolean {
    return this.breakers.get(route)?.opened ?? false;
  }

  /** Runs `thunk` through the route's breaker; rejects at once while the breaker is open. */
  run<T>(route: string, thunk: () => Promise<T>): Promise<T> {
    return this.breaker(route).fire(thunk) as Promise<T>;
  }

  /** Each route's breaker as `closed`, `half_open` or `open` (for /readyz and metrics). */
  states(): Array<{ route: string; state: 'closed' | 'half_open' | 'open' }> {
    return [...this.breakers].map(([route, b]) => ({
      route,
      state: b.halfOpen ? 'half_open' : b.opened ? 'open' : 'closed',
    }));
  }

  shutdown(): void {
    for (const breaker of this.breakers.values()) breaker.shutdown();
    this.breakers.clear();
  }
}

/** True for opossum's own "circuit open" rejection. */
export function isBreakerOpen(error: unknown): boolean {
  return (error as { code?: string })?.code === 'EOPENBREAKER';
}
