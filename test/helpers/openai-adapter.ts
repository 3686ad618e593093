import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { startFakeOpenAI } from '../fakes/openai/index.js';
import type { FakeOpenAI } from '../fakes/openai/index.js';
import { UpstreamFailure } from '../../src/providers/errors.js';
import type { GenerateInput, ImageProvider, InputImage } from '../../src/providers/types.js';
import { createOpenAIProvider } from '../../src/providers/openai/index.js';
import { generateInput } from './provider-fixtures.js';

// Live bindings: set by useFakeOpenAI's beforeAll, read by the tests of the file that calls it.
export let fake: FakeOpenAI;
export let provider: ImageProvider;

/** Starts one fake OpenAI and an adapter on it for the calling test file, reset before each test. */
export function useFakeOpenAI(): void {
  beforeAll(async () => {
    // OpenAI as of 2026-05-01, when both gpt-image-1.5 and dall-e-3 still answered.
    fake = await startFakeOpenAI({ now: () => Date.parse('2026-05-01T00:00:00Z') });
    provider = createOpenAIProvider({ apiKey: fake.apiKey, baseUrl: fake.url });
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.reset());
}

export const input = (overrides: Partial<GenerateInput> = {}): GenerateInput =>
  generateInput({
    seed: 7,
    ...overrides,
  });

export async function inputImage(
  format: 'png' | 'jpeg',
  width = 64,
  height = 48,
): Promise<InputImage> {
  const image = sharp({ create: { width, height, channels: 4, background: '#3a3' } });
  const bytes = await (format === 'png' ? image.png() : image.jpeg()).toBuffer();
  return {
    bytes,
    contentType: `image/${format}`,
    width,
    height,
    publicUrl: () => Promise.reject(new Error('OpenAI takes uploads, not URLs')),
  };
}

export async function failure(promise: Promise<unknown>): Promise<UpstreamFailure> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (error instanceof UpstreamFailure) return error;
  throw new Error(`expected a UpstreamFailure, got ${String(error)}`);
}

export async function dimensions(bytes: Buffer | undefined) {
  const meta = await sharp(bytes).metadata();
  return { format: meta.format, width: meta.width, height: meta.height };
}
