import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { toCredits } from '../billing/credits.js';
import type { Db } from '../db/connection.js';
import { TaskStore } from '../tasks/task-store.js';
import type { UsageEntry } from '../usage/usage-log.js';

/** What the metrics read when scraped rather than count as they happen. */
export interface MetricSources {
  db: Db;
  breakers: () => Array<{ route: string; state: 'closed' | 'half_open' | 'open' }>;
}

const BREAKER_VALUE = { closed: 0, half_open: 1, open: 2 } as const;

/**
 * Prometheus metrics of one process, on their own registry (tests run several servers in one
 * process). Labels are bounded: routes are templates, models and providers come from the
 * catalog, outcomes and statuses from fixed sets; never ids, keys or prompts.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly httpRequests = new Counter({
    name: 'pixapi_http_requests_total',
    help: 'HTTP requests by route template, method and status code',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [this.registry],
  });
  private readonly httpDuration = new Histogram({
    name: 'pixapi_http_request_duration_seconds',
    help: 'HTTP request latency by route template and method',
    labelNames: ['route', 'method'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
    registers: [this.registry],
  });
  private readonly requests = new Counter({
    name: 'pixapi_image_requests_total',
    help: 'Image requests settled, by model, endpoint (async.* are tasks) and status',
    labelNames: ['model', 'endpoint', 'status'] as const,
    registers: [this.registry],
  });
  private readonly images = new Counter({
    name: 'pixapi_images_delivered_total',
    help: 'Images delivered (and charged), by model',
    labelNames: ['model'] as const,
    registers: [this.registry],
  });
  private readonly credits = new Counter({
    name: 'pixapi_credits_charged_total',
    help: 'Credits charged, by model',
    labelNames: ['model'] as const,
    registers: [this.registry],
  });
  private readonly providerCalls = new Counter({
    name: 'pixapi_provider_calls_total',
    help: 'Provider calls by provider, route and outcome (success or the failure kind)',
    labelNames: ['provider', 'route', 'outcome'] as const,
    registers: [this.registry],
  });
  private readonly providerDuration = new Histogram({
    name: 'pixapi_provider_call_duration_seconds',
    help: 'Provider call latency by provider and route',
    labelNames: ['provider', 'route'] as const,
    buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300],
    registers: [this.registry],
  });
  private readonly retries = new Counter({
    name: 'pixapi_provider_retries_total',
    help: 'Retries of a provider route',
    labelNames: ['route'] as const,
    registers: [this.registry],
  });
  private readonly fallbacks = new Counter({
    name: 'pixapi_provider_fallbacks_total',
    help: 'Moves of a model to its next route',
    labelNames: ['model'] as const,
    registers: [this.registry],
  });
  private readonly webhooks = new Counter({
    name: 'pixapi_webhook_deliveries_total',
    help: 'Webhook delivery attempts by outcome (delivered, pending = will retry, failed, disabled)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  private readonly refusals = new Counter({
    name: 'pixapi_rate_limit_refusals_total',
    help: 'Requests refused by a limit, by limit and scope (key or account)',
    labelNames: ['limit', 'scope'] as const,
    registers: [this.registry],
  });
  private readonly limitFallbacks = new Counter({
    name: 'pixapi_rate_limit_store_fallbacks_total',
    help: 'Limit checks counted in-process because Redis was unreachable',
    registers: [this.registry],
  });

  constructor(sources: MetricSources) {
    collectDefaultMetrics({ register: this.registry, prefix: 'pixapi_' });
    new Gauge({
      name: 'pixapi_breaker_state',
      help: 'Circuit breaker per provider route: 0 closed, 1 half-open, 2 open',
      labelNames: ['route'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const { route, state } of sources.breakers())
          this.set({ route }, BREAKER_VALUE[state]);
      },
    });
    new Gauge({
      name: 'pixapi_tasks',
      help: 'Tasks waiting (submitted: the queue depth) and running (processing)',
      labelNames: ['status'] as const,
      registers: [this.registry],
      async collect() {
        const open = await new TaskStore(sources.db.kysely).countOpenByStatus();
        this.reset();
        this.set({ status: 'submitted' }, open.submitted);
        this.set({ status: 'processing' }, open.processing);
      },
    });
  }

  http(route: string, method: string, status: number, seconds: number): void {
    this.httpRequests.inc({ route, method, status: String(status) });
    this.httpDuration.observe({ route, method }, seconds);
  }

  /** Every settled request passes here through the usage log. */
  usage(entry: UsageEntry): void {
    this.requests.inc({ model: entry.model, endpoint: entry.endpoint, status: entry.status });
    if (entry.images > 0) this.images.inc({ model: entry.model }, entry.images);
    if (entry.credits > 0) this.credits.inc({ model: entry.model }, toCredits(entry.credits));
  }

  providerAttempt(event: { provider: string; route: string; outcome: string; seconds: number }) {
    this.providerCalls.inc({
      provider: event.provider,
      route: event.route,
      outcome: event.outcome,
    });
    this.providerDuration.observe({ provider: event.provider, route: event.route }, event.seconds);
  }

  retry(route: string): void {
    this.retries.inc({ route });
  }

  fallback(model: string): void {
    this.fallbacks.inc({ model });
  }

  webhookDelivered(outcome: string): void {
    this.webhooks.inc({ outcome });
  }

  refused(limit: string, scope: string): void {
    this.refusals.inc({ limit, scope });
  }

  limitStoreFallback(): void {
    this.limitFallbacks.inc();
  }
}
