import { afterAll, beforeAll, beforeEach } from 'vitest';
import { startFakeBfl } from '../fakes/bfl/index.js';
import type { BflBehaviour, BflPollStep, FakeBfl } from '../fakes/bfl/index.js';
import { UpstreamFailure } from '../../src/providers/errors.js';
import type { GenerateInput, ImageProvider } from '../../src/providers/types.js';
import { createBflProvider } from '../../src/providers/bfl/index.js';
import { generateInput, sized } from './provider-fixtures.js';

// Live bindings: set by useFakeBfl's beforeAll, read by the tests of the file that calls it.
export let fake: FakeBfl;
export let provider: ImageProvider;

export const FAST = { initialDelayMs: 2, maxDelayMs: 10 };

/** Starts one fake BFL and an adapter on it for the calling test file, reset before each test. */
export function useFakeBfl(): void {
  beforeAll(async () => {
    fake = await startFakeBfl();
    provider = createBflProvider({ apiKey: fake.apiKey, baseUrl: fake.url }, FAST);
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.reset());
}

export const input = (overrides: Partial<GenerateInput> = {}): GenerateInput =>
  generateInput({
    model: 'flux-2-pro',
    prompt: 'a red fox in snow',
    size: sized(256, 192, 'free'),
    ...overrides,
  });

export async function failure(promise: Promise<unknown>): Promise<UpstreamFailure> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof UpstreamFailure) return error;
    throw error;
  }
  throw new Error('expected a UpstreamFailure');
}

export const task = (
  steps: BflPollStep[],
  more: Partial<Extract<BflBehaviour, { kind: 'task' }>> = {},
) => ({ kind: 'task', steps, ...more }) as const;

export const polls = () => fake.requests.filter((r) => r.path.endsWith('/get_result'));
