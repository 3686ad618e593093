import { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { Log } from '../observability/logger.js';
import {
  add,
  MemoryCounters,
  UNBOUNDED,
  type CounterKind,
  type CounterOptions,
  type Counters,
  type Limiter,
  type WindowCount,
} from './counters.js';

/**
 * Counters in Redis, shared by every process. When Redis cannot answer, each process falls
 * back to its own counters (logged once per outage, counted by `onFallback`), so requests
 * keep flowing with limits that are per process until Redis is back.
 */
export class RedisCounters implements Counters {
  private readonly client: Redis;
  private readonly shared: Record<CounterKind, Limiter>;
  private readonly local: MemoryCounters;
  private degraded = false;

  constructor(
    url: string,
    private readonly options: CounterOptions & { log: Log; onFallback?: () => void },
  ) {
    this.client = new Redis(url, {
      // Fail at once rather than queue: a limit check must not wait for a reconnect.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2_000,
      retryStrategy: (times) => Math.min(times * 200, 2_000),
    });
    // ioredis emits an error per failed reconnect; the fallback logs the outage once.
    this.client.on('error', () => {});
    const store = { storeClient: this.client, rejectIfRedisNotReady: true, points: UNBOUNDED };
    this.shared = {
      minute: new RateLimiterRedis({ ...store, keyPrefix: 'pixapi:rate', duration: 60 }),
      inFlight: new RateLimiterRedis({
        ...store,
        keyPrefix: 'pixapi:inflight',
        duration: Math.ceil(options.inFlightTtlMs / 1000),
      }),
    };
    this.local = new MemoryCounters(options);
  }

  async add(kind: CounterKind, key: string, points: number): Promise<WindowCount> {
    try {
      const count = await add(this.shared[kind], key, points);
      this.recovered();
      return count;
    } catch (error) {
      this.fellBack(error);
      return this.local.add(kind, key, points);
    }
  }

  async remove(kind: CounterKind, key: string, points: number): Promise<void> {
    try {
      await this.shared[kind].reward(key, points);
    } catch (error) {
      this.fellBack(error);
      await this.local.remove(kind, key, points);
    }
  }

  state(): 'ok' | 'degraded' {
    return this.degraded || this.client.status !== 'ready' ? 'degraded' : 'ok';
  }

  async close(): Promise<void> {
    this.client.disconnect();
  }

  private fellBack(error: unknown): void {
    // Over the ceiling cannot happen; anything else is the store failing.
    if (error instanceof RateLimiterRes) throw new Error('counter over its ceiling');
    this.options.onFallback?.();
    if (this.degraded) return;
    this.degraded = true;
    this.options.log.error(
      { err: error },
      'Redis unreachable: rate limits fall back to per-process counters',
    );
  }

  private recovered(): void {
    if (!this.degraded) return;
    this.degraded = false;
    this.options.log.info('Redis reachable again: rate limits are shared');
  }
}
