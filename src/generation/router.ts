import { setTimeout as sleep } from 'node:timers/promises';
import type { Catalog } from '../catalog/catalog.js';
import type { ModelSpec, RouteSpec } from '../catalog/schema.js';
import { PixapiError, providerNotConfigured } from '../errors.js';
import { UpstreamFailure } from '../providers/errors.js';
import type { ProviderRegistry } from '../providers/registry.js';
import type {
  EditInput,
  GenerateInput,
  ImageProvider,
  ProviderCall,
  ProviderResult,
} from '../providers/types.js';
import { inSpan } from '../observability/tracing.js';
import { isBreakerOpen, RouteBreakers } from './route-breakers.js';
import { DEFAULT_RETRY_POLICY, retryDelay, type RetryPolicy } from './retry-policy.js';

export interface RoutedResult extends ProviderResult {
  /** `provider/upstream-model` of the route that served. */
  route: string;
  /** Provider calls made, over every route tried. */
  attempts: number;
}

export type ProviderInput = Omit<GenerateInput, 'model' | 'options'> &
  Partial<Pick<EditInput, 'images' | 'mask' | 'inputFidelity'>>;

/** Where a routed call has got to, readable when a deadline cuts it short. */
/** Hooks for metrics; each is optional and must not throw. */
export interface RouteObserver {
  /** One provider call ended: `outcome` is `success` or the failure's kind. */
  attempt?(event: { provider: string; route: string; outcome: string; seconds: number }): void;
  retry?(route: string): void;
  /** A model moved on to its next route. */
  fallback?(model: string): void;
}

export interface RouteProgress {
  route: string | null;
  attempts: number;
}

/** What one route is asked to do; generation, edits and streams differ only in this. */
export type RouteAction<T> = (
  provider: ImageProvider,
  input: GenerateInput | EditInput,
  call: ProviderCall,
) => Promise<T>;

/**
 * The router stopped trying: `failure` is what ended routing (an UpstreamFailure, an open
 * circuit, or an error of ours) and becomes the client's error; `attempts` and `route` go to the
 * usage record.
 */
export class RoutingGaveUp extends Error {
  override name = 'RoutingGaveUp';
  constructor(
    readonly failure: unknown,
    readonly attempts: number,
    readonly route: string | undefined,
  ) {
    super(failure instanceof Error ? failure.message : 'routing failed', { cause: failure });
  }
}

function allRoutesOpen(model: ModelSpec): PixapiError {
  return new PixapiError({
    code: 'overloaded',
    message: `Every provider route of ${model.id} is failing; try again shortly. Nothing was charged.`,
    headers: { 'retry-after': '30' },
  });
}

/**
 * Sends a request to a model's routes: each route is retried on retryable failures (capped
 * exponential backoff, full jitter, `retry-after` honoured) and guarded by a circuit breaker;
 * when a route gives up, the next one in the catalog is tried. Safety refusals stop everything.
 */
export class ProviderRouter {
  private readonly breakers: RouteBreakers;
  /** Told of every attempt, retry and fallback (metrics); set once at start. */
  observer: RouteObserver = {};

  constructor(
    private readonly catalog: Catalog,
    private readonly providers: ProviderRegistry,
    private readonly policy: RetryPolicy = DEFAULT_RETRY_POLICY,
    breakers?: RouteBreakers,
  ) {
    this.breakers = breakers ?? new RouteBreakers();
  }

  /** Throws 503 `provider_not_configured` when no route of the model can serve. */
  assertAvailable(model: ModelSpec): void {
    if (!this.catalog.isAvailable(model)) {
      throw providerNotConfigured(model.id, this.catalog.missingVariable(model));
    }
  }

  private configuredRoutes(model: ModelSpec): Array<{ route: RouteSpec; provider: ImageProvider }> {
    return model.routes.flatMap((route) => {
      const provider = this.providers.get(route.provider);
      return provider ? [{ route, provider }] : [];
    });
  }

  /** Generates or edits (when `input.images` is set) through the model's routes. */
  async run(
    model: ModelSpec,
    input: ProviderInput,
    passthrough: Record<string, unknown>,
    call: ProviderCall,
    progress?: RouteProgress,
  ): Promise<RoutedResult> {
    const { value, route, attempts } = await this.dispatch(
      model,
      input,
      passthrough,
      call,
      (provider, upstream, c) => {
        if (!('images' in upstream) || upstream.images.length === 0) {
          return provider.generate(upstream, c);
        }
        if (!provider.edit) {
          return Promise.reject(new UpstreamFailure('terminal', 'this route does not take edits'));
        }
        return provider.edit(upstream, c);
      },
      progress,
    );
    return { ...value, route, attempts };
  }

  /**
   * The retry/fallback loop shared by every kind of call. Returns the action's value with the
   * route that produced it, or throws a RoutingGaveUp.
   */
  async dispatch<T>(
    model: ModelSpec,
    input: ProviderInput,
    passthrough: Record<string, unknown>,
    call: ProviderCall,
    action: RouteAction<T>,
    progress: RouteProgress = { route: null, attempts: 0 },
  ): Promise<{ value: T; route: string; attempts: number }> {
    const routes = this.configuredRoutes(model);
    if (routes.length === 0)
      throw providerNotConfigured(model.id, this.catalog.missingVariable(model));
    let attempts = 0;
    let lastFailure: unknown;
    let lastRoute: string | undefined;
    let skippedOpen = 0;

    for (const { route, provider } of routes) {
      const key = `${route.provider}/${route.model}`;
      if (lastRoute !== undefined) this.observer.fallback?.(model.id);
      if (this.breakers.isOpen(key)) {
        skippedOpen++;
        continue;
      }
      const upstream = {
        ...input,
        model: route.model,
        options: { ...route.options, ...passthrough },
      };
      for (let attempt = 1; attempt <= this.policy.maxAttempts; attempt++) {
        call.signal.throwIfAborted();
        attempts++;
        lastRoute = key;
        progress.route = key;
        progress.attempts = attempts;
        const started = performance.now();
        const observe = (outcome: string) =>
          this.observer.attempt?.({
            provider: route.provider,
            route: key,
            outcome,
            seconds: (performance.now() - started) / 1000,
          });
        try {
          const value = await inSpan(
            'provider.attempt',
            {
              'pixapi.model': model.id,
              'pixapi.provider': route.provider,
              'pixapi.route': key,
              'pixapi.attempt': attempt,
            },
            async (span) => {
              try {
                const result = await this.breakers.run(key, () =>
                  action(provider, upstream as GenerateInput | EditInput, call),
                );
                span?.setAttribute('pixapi.outcome', 'success');
                return result;
              } catch (error) {
                span?.setAttribute('pixapi.outcome', outcomeOf(error));
                throw error;
              }
            },
          );
          observe('success');
          return { value, route: key, attempts };
        } catch (error) {
          if (isBreakerOpen(error)) {
            attempts--;
            skippedOpen++;
            break;
          }
          observe(outcomeOf(error));
          if (!(error instanceof UpstreamFailure)) throw new RoutingGaveUp(error, attempts, key);
          lastFailure = error;
          call.log.warn(
            {
              route: key,
              attempt,
              kind: error.kind,
              status: error.status,
              code: error.upstreamCode,
            },
            'provider call failed',
          );
          if (error.kind === 'safety') throw new RoutingGaveUp(error, attempts, key);
          if (error.kind === 'misconfigured') {
            call.log.error(
              { route: key, status: error.status, code: error.upstreamCode },
              'provider refused our credentials or is out of credit: operator action needed',
            );
          }
          if (error.kind !== 'retryable' || error.afterSubmission) break;
          if (attempt === this.policy.maxAttempts) break;
          const delay = retryDelay(attempt, error.retryAfterMs, this.policy);
          if (delay === undefined) break;
          this.observer.retry?.(key);
          await sleep(delay, undefined, { signal: call.signal });
        }
      }
    }
    if (lastFailure === undefined && skippedOpen > 0) {
      throw new RoutingGaveUp(allRoutesOpen(model), attempts, lastRoute);
    }
    throw new RoutingGaveUp(lastFailure, attempts, lastRoute);
  }

  breakerStates() {
    return this.breakers.states();
  }

  shutdown(): void {
    this.breakers.shutdown();
  }
}

/** An attempt's outcome as metrics and traces name it: the provider failure's kind. */
function outcomeOf(error: unknown): string {
  if (isBreakerOpen(error)) return 'breaker_open';
  return error instanceof UpstreamFailure ? error.kind : 'error';
}
