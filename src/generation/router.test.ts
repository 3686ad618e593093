import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { Catalog } from '../catalog/catalog.js';
import { modelSchema, type ModelSpec } from '../catalog/schema.js';
import { loadConfig } from '../config.js';
import { PixapiError } from '../errors.js';
import { UpstreamFailure } from '../providers/errors.js';
import { ProviderRegistry } from '../providers/registry.js';
import type {
  ImageProvider,
  ProviderCall,
  ProviderDefinition,
  ProviderResult,
} from '../providers/types.js';
import { RouteBreakers } from './route-breakers.js';
import { ProviderRouter, RoutingGaveUp, type ProviderInput } from './router.js';

type Step = UpstreamFailure | 'ok';

/** An adapter that answers from a script: the router's logic is what is under test here. */
function scripted(name: string, steps: Step[]) {
  const calls: string[] = [];
  const provider: ImageProvider = {
    async generate(input) {
      calls.push(input.model);
      const step = steps.shift() ?? 'ok';
      if (step !== 'ok') throw step;
      return { images: [{ bytes: Buffer.from('img') }] } satisfies ProviderResult;
    },
  };
  const definition: ProviderDefinition = {
    name,
    requires: `${name.toUpperCase()}_KEY`,
    isConfigured: () => true,
    create: () => provider,
  };
  return { definition, calls, steps };
}

function model(routes: string[]): ModelSpec {
  return modelSchema.parse({
    id: 'test-model',
    name: 'Test',
    description: 'Test model',
    owned_by: 'test',
    capabilities: ['text-to-image'],
    routes: routes.map((provider) => ({ provider, model: `${provider}-upstream` })),
    sizes: { auto: '64x64', list: [{ size: '64x64', tier: '1K' }] },
    qualities: ['auto'],
    pricing: { rules: [{ credits: 1 }] },
  });
}

const fastPolicy = { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2, maxRetryAfterMs: 50 };
const input = { prompt: 'p', n: 1 } as ProviderInput;
const call = (): ProviderCall => ({
  signal: AbortSignal.timeout(5000),
  log: pino({ level: 'silent' }),
  fetchProviderUrl: () => Promise.reject(new Error('unused')),
});

function router(defs: ProviderDefinition[], m: ModelSpec, breakers?: RouteBreakers) {
  const registry = new ProviderRegistry(loadConfig({}), defs);
  return new ProviderRouter(new Catalog([m], registry), registry, fastPolicy, breakers);
}

const retryable = (retryAfterMs?: number) =>
  new UpstreamFailure('retryable', 'upstream 503', { status: 503, retryAfterMs });

describe('ProviderRouter', () => {
  it('retries a retryable failure and counts attempts', async () => {
    const a = scripted('a', [retryable(), retryable(1), 'ok']);
    const m = model(['a']);
    const result = await router([a.definition], m).run(m, input, {}, call());
    expect(result).toMatchObject({ route: 'a/a-upstream', attempts: 3 });
    expect(a.calls).toHaveLength(3);
  });

  it('falls back to the next route when a route exhausts its retries', async () => {
    const a = scripted('a', [retryable(), retryable(), retryable()]);
    const b = scripted('b', ['ok']);
    const m = model(['a', 'b']);
    const result = await router([a.definition, b.definition], m).run(m, input, {}, call());
    expect(result).toMatchObject({ route: 'b/b-upstream', attempts: 4 });
  });

  it('falls back at once, without retrying, on misconfigured and terminal failures', async () => {
    for (const kind of ['misconfigured', 'terminal', 'invalid_response'] as const) {
      const a = scripted('a', [new UpstreamFailure(kind, kind)]);
      const b = scripted('b', ['ok']);
      const m = model(['a', 'b']);
      const result = await router([a.definition, b.definition], m).run(m, input, {}, call());
      expect(result.attempts, kind).toBe(2);
      expect(a.calls).toHaveLength(1);
    }
  });

  it('never retries or falls back after a safety refusal', async () => {
    const a = scripted('a', [new UpstreamFailure('safety', 'blocked')]);
    const b = scripted('b', ['ok']);
    const m = model(['a', 'b']);
    const error = await router([a.definition, b.definition], m)
      .run(m, input, {}, call())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RoutingGaveUp);
    expect((error as RoutingGaveUp).failure).toMatchObject({ kind: 'safety' });
    expect(b.calls).toHaveLength(0);
  });

  it('never sends a job the provider already accepted to the same route again', async () => {
    const accepted = new UpstreamFailure('retryable', 'polling failed', { afterSubmission: true });
    const a = scripted('a', [accepted]);
    const b = scripted('b', ['ok']);
    const m = model(['a', 'b']);
    const result = await router([a.definition, b.definition], m).run(m, input, {}, call());
    expect(a.calls).toHaveLength(1);
    expect(result).toMatchObject({ route: 'b/b-upstream', attempts: 2 });
  });

  it('skips a route whose retry-after is longer than it will wait', async () => {
    const a = scripted('a', [retryable(60_000)]);
    const b = scripted('b', ['ok']);
    const m = model(['a', 'b']);
    const result = await router([a.definition, b.definition], m).run(m, input, {}, call());
    expect(result).toMatchObject({ route: 'b/b-upstream', attempts: 2 });
  });

  it('reports the last failure when every route fails', async () => {
    const a = scripted(
      'a',
      Array.from({ length: 3 }, () => retryable()),
    );
    const m = model(['a']);
    const error = (await router([a.definition], m)
      .run(m, input, {}, call())
      .catch((e: unknown) => e)) as RoutingGaveUp;
    expect(error.attempts).toBe(3);
    expect(error.failure).toMatchObject({ kind: 'retryable', status: 503 });
  });

  it('opens the breaker of a failing route, skips it, then probes it half-open and recovers', async () => {
    const breakers = new RouteBreakers({
      errorThresholdPercentage: 50,
      volumeThreshold: 2,
      resetTimeoutMs: 100,
      rollingWindowMs: 10_000,
    });
    const a = scripted(
      'a',
      Array.from({ length: 6 }, () => new UpstreamFailure('invalid_response', 'x')),
    );
    const b = scripted('b', []);
    const m = model(['a', 'b']);
    const r = router([a.definition, b.definition], m, breakers);
    await r.run(m, input, {}, call());
    await r.run(m, input, {}, call());
    expect(breakers.isOpen('a/a-upstream')).toBe(true);
    const callsBefore = a.calls.length;
    const skipped = await r.run(m, input, {}, call());
    expect(skipped).toMatchObject({ route: 'b/b-upstream', attempts: 1 });
    expect(a.calls).toHaveLength(callsBefore);

    await new Promise((resolve) => setTimeout(resolve, 150));
    a.steps.length = 0;
    const probed = await r.run(m, input, {}, call());
    expect(probed.route).toBe('a/a-upstream');
    expect(breakers.isOpen('a/a-upstream')).toBe(false);
    breakers.shutdown();
  });

  it('answers 503 overloaded when every route is open', async () => {
    const breakers = new RouteBreakers({
      errorThresholdPercentage: 50,
      volumeThreshold: 1,
      resetTimeoutMs: 60_000,
      rollingWindowMs: 10_000,
    });
    const a = scripted('a', [new UpstreamFailure('invalid_response', 'x')]);
    const m = model(['a']);
    const r = router([a.definition], m, breakers);
    await r.run(m, input, {}, call()).catch(() => undefined);
    const error = (await r.run(m, input, {}, call()).catch((e: unknown) => e)) as RoutingGaveUp;
    expect(error.failure).toBeInstanceOf(PixapiError);
    expect((error.failure as PixapiError).code).toBe('overloaded');
    breakers.shutdown();
  });

  it('does not open the breaker for safety refusals and client mistakes', async () => {
    const breakers = new RouteBreakers({
      errorThresholdPercentage: 10,
      volumeThreshold: 1,
      resetTimeoutMs: 60_000,
      rollingWindowMs: 10_000,
    });
    const a = scripted('a', [
      new UpstreamFailure('safety', 's'),
      new UpstreamFailure('terminal', 't'),
      new UpstreamFailure('safety', 's'),
    ]);
    const m = model(['a']);
    const r = router([a.definition], m, breakers);
    for (let i = 0; i < 3; i++) await r.run(m, input, {}, call()).catch(() => undefined);
    expect(breakers.isOpen('a/a-upstream')).toBe(false);
    breakers.shutdown();
  });
});
