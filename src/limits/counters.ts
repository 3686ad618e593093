import {
  RateLimiterMemory,
  type RateLimiterAbstract,
  type RateLimiterStoreAbstract,
} from 'rate-limiter-flexible';
import type { Log } from '../observability/logger.js';

/** What a counter holds after an addition: the total of the window and when it ends. */
export interface WindowCount {
  consumed: number;
  msBeforeReset: number;
}

/** `minute`: fixed one-minute windows (rates); `inFlight`: requests running (concurrency). */
export type CounterKind = 'minute' | 'inFlight';

/**
 * Counters behind the limits, atomic per key: in-process by default, shared by every process
 * through Redis when configured.
 */
export interface Counters {
  add(kind: CounterKind, key: string, points: number): Promise<WindowCount>;
  remove(kind: CounterKind, key: string, points: number): Promise<void>;
  /** 'ok', or 'degraded' while Redis is unreachable and this process counts alone. */
  state(): 'ok' | 'degraded' | 'memory';
  close(): Promise<void>;
}

/**
 * The counters never refuse by themselves: the limit differs per key, so the caller compares
 * the total to it. This is their ceiling, far above any limit.
 */
export const UNBOUNDED = 1_000_000_000;

export type Limiter = RateLimiterAbstract | RateLimiterStoreAbstract;

export async function add(limiter: Limiter, key: string, points: number): Promise<WindowCount> {
  const res = await limiter.consume(key, points);
  return { consumed: res.consumedPoints, msBeforeReset: res.msBeforeNext };
}

export interface CounterOptions {
  /** A crashed process's in-flight slots are forgotten after this long. */
  inFlightTtlMs: number;
}

function memoryLimiters(options: CounterOptions): Record<CounterKind, Limiter> {
  return {
    minute: new RateLimiterMemory({ points: UNBOUNDED, duration: 60 }),
    inFlight: new RateLimiterMemory({
      points: UNBOUNDED,
      duration: Math.ceil(options.inFlightTtlMs / 1000),
    }),
  };
}

/** The embedded default: each process counts its own requests. */
export class MemoryCounters implements Counters {
  private readonly limiters: Record<CounterKind, Limiter>;

  constructor(options: CounterOptions) {
    this.limiters = memoryLimiters(options);
  }

  add(kind: CounterKind, key: string, points: number): Promise<WindowCount> {
    return add(this.limiters[kind], key, points);
  }

  async remove(kind: CounterKind, key: string, points: number): Promise<void> {
    await this.limiters[kind].reward(key, points);
  }

  state(): 'memory' {
    return 'memory';
  }

  async close(): Promise<void> {}
}

/** Redis's client is loaded only when configured: the embedded default never pays for it. */
export async function createCounters(
  redisUrl: string | undefined,
  options: CounterOptions & { log: Log; onFallback?: () => void },
): Promise<Counters> {
  if (!redisUrl) return new MemoryCounters(options);
  const { RedisCounters } = await import('./redis-counters.js');
  return new RedisCounters(redisUrl, options);
}
