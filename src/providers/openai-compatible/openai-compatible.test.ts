import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeOpenAI } from '../../../test/fakes/openai/index.js';
import type { FakeOpenAI } from '../../../test/fakes/openai/index.js';
import { testCall } from '../../../test/helpers/provider-call.js';
import { loadConfig } from '../../config.js';
import { UpstreamFailure } from '../errors.js';
import type { EditInput, GenerateInput, InputImage } from '../types.js';
import { createOpenAICompatibleProvider, openaiCompatibleProvider } from './index.js';
import { generateInput, sized } from '../../../test/helpers/provider-fixtures.js';

let server: FakeOpenAI;

beforeAll(async () => {
  server = await startFakeOpenAI({ mode: 'compatible', extraFields: ['seed'] });
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const input = (overrides: Partial<GenerateInput> = {}): GenerateInput =>
  generateInput({
    model: 'sd-turbo',
    prompt: 'a lighthouse at dusk',
    size: sized(512, 512, 'default', 'auto'),
    moderation: 'low',
    seed: 3,
    user: 'end-user-1',
    ...overrides,
  });

async function inputImage(): Promise<InputImage> {
  const bytes = await sharp({ create: { width: 32, height: 32, channels: 3, background: '#939' } })
    .png()
    .toBuffer();
  return {
    bytes,
    contentType: 'image/png',
    width: 32,
    height: 32,
    publicUrl: () => Promise.resolve('unused'),
  };
}

async function failure(promise: Promise<unknown>): Promise<UpstreamFailure> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (error instanceof UpstreamFailure) return error;
  throw new Error(`expected a UpstreamFailure, got ${String(error)}`);
}

describe('openai-compatible provider definition', () => {
  it('is configured by its base URL alone', () => {
    expect(openaiCompatibleProvider.name).toBe('openai-compatible');
    expect(openaiCompatibleProvider.requires).toBe('OPENAI_COMPATIBLE_BASE_URL');
    const config = loadConfig({ OPENAI_COMPATIBLE_BASE_URL: 'http://sd.internal:7860/v1/' });
    expect(openaiCompatibleProvider.isConfigured(config)).toBe(true);
    expect(
      openaiCompatibleProvider.isConfigured(loadConfig({ OPENAI_COMPATIBLE_API_KEY: 'k' })),
    ).toBe(false);
  });

  it('does not stream', () => {
    const adapter = createOpenAICompatibleProvider({ baseUrl: server.url, apiKey: undefined });
    expect(adapter.stream).toBeUndefined();
  });
});

describe('generate', () => {
  it('sends only the minimal fields, no auth without a key, and accepts URL outputs', async () => {
    const adapter = createOpenAICompatibleProvider({ baseUrl: server.url, apiKey: undefined });
    const result = await adapter.generate(input({ n: 2 }), testCall());
    expect(result.images).toHaveLength(2);
    const url = result.images[0]!.url!;
    expect(url.startsWith(new URL(server.url).origin)).toBe(true);
    const meta = await sharp(Buffer.from(await (await fetch(url)).arrayBuffer())).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 512, 512]);
    const [request] = server.requests;
    expect(request!.headers.authorization).toBeUndefined();
    expect(request!.body).toEqual({
      response_format: 'b64_json',
      model: 'sd-turbo',
      prompt: 'a lighthouse at dusk',
      n: 2,
      size: '512x512',
    });
  });

  it('sends the key as Bearer when one is set, and route options the server takes', async () => {
    const adapter = createOpenAICompatibleProvider({ baseUrl: server.url, apiKey: 'local-key' });
    await adapter.generate(input({ options: { seed: 11 } }), testCall());
    expect(server.requests[0]!.headers.authorization).toBe('Bearer local-key');
    expect(server.requests[0]!.body).toMatchObject({ seed: 11 });
  });

  it('resolves relative output URLs against the server', async () => {
    server.script({ type: 'url_outputs', relative: true });
    const adapter = createOpenAICompatibleProvider({ baseUrl: server.url, apiKey: undefined });
    const result = await adapter.generate(input(), testCall());
    expect(result.images[0]!.url).toMatch(new RegExp(`^${new URL(server.url).origin}/files/`));
  });

  it('classifies a field the server refuses as terminal', async () => {
    const adapter = createOpenAICompatibleProvider({ baseUrl: server.url, apiKey: undefined });
    const error = await failure(
      adapter.generate(input({ options: { negative_prompt: 'fog' } }), testCall()),
    );
    expect(error).toMatchObject({ kind: 'terminal', status: 400 });
  });

  it('classifies server failures and malformed answers like OpenAI', async () => {
    const adapter = createOpenAICompatibleProvider({ baseUrl: server.url, apiKey: undefined });
    server.script({ type: 'server_error', status: 503 });
    expect((await failure(adapter.generate(input(), testCall()))).kind).toBe('retryable');
    server.script({ type: 'no_data' });
    expect((await failure(adapter.generate(input(), testCall()))).kind).toBe('invalid_response');
  });

  it('accepts base64 answers too (a server that honours response_format)', async () => {
    // OpenAI before 2026-05-12, when dall-e-2 still answered.
    const openai = await startFakeOpenAI({ now: () => Date.parse('2026-05-01T00:00:00Z') });
    try {
      const adapter = createOpenAICompatibleProvider({
        baseUrl: openai.url,
        apiKey: openai.apiKey,
      });
      const result = await adapter.generate(input({ model: 'dall-e-2' }), testCall());
      expect(result.images[0]!.bytes).toBeInstanceOf(Buffer);
      expect(openai.requests[0]!.body).toEqual({
        response_format: 'b64_json',
        model: 'dall-e-2',
        prompt: 'a lighthouse at dusk',
        n: 1,
        size: '512x512',
      });
    } finally {
      await openai.close();
    }
  });
});

describe('edit', () => {
  it('uploads one image as `image` and several as `image[]`', async () => {
    const adapter = createOpenAICompatibleProvider({ baseUrl: server.url, apiKey: undefined });
    const one: EditInput = {
      ...input(),
      images: [await inputImage()],
      mask: undefined,
      inputFidelity: 'high',
    };
    const result = await adapter.edit!(one, testCall());
    expect(result.images).toHaveLength(1);
    expect(server.requests[0]!.files.map((f) => f.field)).toEqual(['image']);
    expect(server.requests[0]!.body).toEqual({
      response_format: 'b64_json',
      model: 'sd-turbo',
      prompt: 'a lighthouse at dusk',
      n: '1',
      size: '512x512',
    });
    const two: EditInput = {
      ...one,
      images: [await inputImage(), await inputImage()],
      mask: await inputImage(),
    };
    await adapter.edit!(two, testCall());
    expect(server.requests[1]!.files.map((f) => f.field)).toEqual(['image[]', 'image[]', 'mask']);
  });
});
