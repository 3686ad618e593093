import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PixapiError } from '../errors.js';
import { UpstreamFailure, type FailureKind } from '../providers/errors.js';
import { RouteBreakers } from './route-breakers.js';

const HAIR_TRIGGER = {
  errorThresholdPercentage: 1,
  volumeThreshold: 1,
  resetTimeoutMs: 60_000,
  rollingWindowMs: 60_000,
};

/** Whatever our own code can throw: bugs, database errors, validation errors, aborts. */
const ownFailure = fc.oneof(
  fc.string().map((message) => new Error(message)),
  fc.string().map((message) => new TypeError(message)),
  fc.constant(new RangeError('Maximum call stack size exceeded')),
  fc.constant(Object.assign(new Error('null value in column'), { code: '23502' })),
  fc.constant(new DOMException('This operation was aborted', 'AbortError')),
  fc
    .integer({ min: 400, max: 599 })
    .map((status) => new PixapiError({ status, code: 'internal_error', message: 'x' })),
  fc.constantFrom<unknown>('a string', 42, null, undefined),
  fc.constantFrom<FailureKind>('safety', 'terminal').map((kind) => new UpstreamFailure(kind, 'x')),
);

const providerFault = fc
  .constantFrom<FailureKind>('retryable', 'misconfigured', 'invalid_response')
  .map((kind) => new UpstreamFailure(kind, 'upstream failed'));

async function fire(breakers: RouteBreakers, failure: unknown): Promise<void> {
  await breakers.run('p/m', () => Promise.reject(failure)).catch(() => undefined);
}

describe('RouteBreakers', () => {
  it('never opens on failures that no adapter classified as the provider’s', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(ownFailure, { minLength: 1, maxLength: 20 }), async (failures) => {
        const breakers = new RouteBreakers(HAIR_TRIGGER);
        for (const failure of failures) await fire(breakers, failure);
        expect(breakers.isOpen('p/m')).toBe(false);
        breakers.shutdown();
      }),
    );
  });

  it('opens on a provider’s failures, whatever of ours is mixed in', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(ownFailure, { maxLength: 10 }),
        providerFault,
        async (own, fault) => {
          const breakers = new RouteBreakers(HAIR_TRIGGER);
          for (const failure of own) await fire(breakers, failure);
          await fire(breakers, fault);
          expect(breakers.isOpen('p/m')).toBe(true);
          breakers.shutdown();
        },
      ),
    );
  });
});
