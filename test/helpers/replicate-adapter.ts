import { afterAll, beforeAll, beforeEach } from 'vitest';
import { REPLICATE_FAKE_TOKEN, startFakeReplicate } from '../fakes/replicate/index.js';
import type { ReplicateFake, ReplicateRecordedRequest } from '../fakes/replicate/index.js';
import type { GenerateInput, ImageProvider } from '../../src/providers/types.js';
import { createReplicateProvider } from '../../src/providers/replicate/index.js';
import { generateInput, sized } from './provider-fixtures.js';

// Live bindings: set by useFakeReplicate's beforeAll, read by the tests of the file that calls it.
export let fake: ReplicateFake;
export let replicate: ImageProvider;

export const fastPoll = { initialMs: 1, maxMs: 5 };

/** Starts one fake Replicate and an adapter on it for the calling test file, reset before each test. */
export function useFakeReplicate(): void {
  beforeAll(async () => {
    fake = await startFakeReplicate();
    replicate = createReplicateProvider({
      apiToken: REPLICATE_FAKE_TOKEN,
      baseUrl: fake.url,
      poll: fastPoll,
    });
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.reset());
}

export const input = (overrides: Partial<GenerateInput> = {}): GenerateInput =>
  generateInput({
    model: 'black-forest-labs/flux-schnell',
    prompt: 'a lighthouse at dusk',
    size: sized(1344, 768, '1K'),
    outputFormat: 'webp',
    ...overrides,
  });

export async function download(url: string): Promise<Buffer> {
  return Buffer.from(await (await fetch(url)).arrayBuffer());
}

export const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: unknown) => e,
  );
export const creations = () =>
  fake.requests.filter((r) => r.method === 'POST' && !r.path.endsWith('/cancel'));
export const isPoll = (r: ReplicateRecordedRequest) =>
  r.method === 'GET' && r.path.startsWith('/v1/predictions/');
