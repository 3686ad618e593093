import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startFakeOpenAI } from '../../../test/fakes/openai/index.js';
import type { FakeOpenAI } from '../../../test/fakes/openai/index.js';
import { testCall } from '../../../test/helpers/provider-call.js';
import { loadConfig } from '../../config.js';
import { UpstreamFailure } from '../errors.js';
import type { EditInput, GenerateInput, ImageProvider, InputImage, StreamEvent } from '../types.js';
import { createOpenAIProvider, openaiProvider } from './index.js';
import { generateInput } from '../../../test/helpers/provider-fixtures.js';

let fake: FakeOpenAI;
let provider: ImageProvider;

beforeAll(async () => {
  // OpenAI as of 2026-05-01, when both gpt-image-1.5 and dall-e-3 still answered.
  fake = await startFakeOpenAI({ now: () => Date.parse('2026-05-01T00:00:00Z') });
  provider = createOpenAIProvider({ apiKey: fake.apiKey, baseUrl: fake.url });
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const input = (overrides: Partial<GenerateInput> = {}): GenerateInput =>
  generateInput({
    seed: 7,
    ...overrides,
  });

async function inputImage(format: 'png' | 'jpeg', width = 64, height = 48): Promise<InputImage> {
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

async function failure(promise: Promise<unknown>): Promise<UpstreamFailure> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (error instanceof UpstreamFailure) return error;
  throw new Error(`expected a UpstreamFailure, got ${String(error)}`);
}

async function collect(events: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const all: StreamEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}

async function dimensions(bytes: Buffer | undefined) {
  const meta = await sharp(bytes).metadata();
  return { format: meta.format, width: meta.width, height: meta.height };
}

describe('openai provider definition', () => {
  it('is configured by OPENAI_API_KEY and names it', () => {
    expect(openaiProvider.name).toBe('openai');
    expect(openaiProvider.requires).toBe('OPENAI_API_KEY');
    expect(openaiProvider.isConfigured(loadConfig({ OPENAI_API_KEY: 'sk-x' }))).toBe(true);
    expect(openaiProvider.isConfigured(loadConfig({}))).toBe(false);
  });
});

describe('generate', () => {
  it('makes one GPT image and sends exactly the documented request', async () => {
    const result = await provider.generate(input(), testCall());
    expect(result.images).toHaveLength(1);
    expect(await dimensions(result.images[0]!.bytes)).toEqual({
      format: 'png',
      width: 1024,
      height: 1024,
    });
    expect(result.usage).toMatchObject({
      input_tokens: expect.any(Number),
      total_tokens: expect.any(Number),
    });
    const [request] = fake.requests;
    expect(request).toMatchObject({ method: 'POST', path: '/v1/images/generations' });
    expect(request!.headers.authorization).toBe(`Bearer ${fake.apiKey}`);
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.body).toEqual({
      model: 'gpt-image-1.5',
      prompt: 'a red fox in the snow',
      n: 1,
      size: '1024x1024',
      quality: 'auto',
      output_format: 'png',
    });
  });

  it('asks for n GPT images in one call, in the requested format', async () => {
    const result = await provider.generate(
      input({
        n: 3,
        outputFormat: 'webp',
        outputCompression: 70,
        background: 'opaque',
        quality: 'low',
        moderation: 'low',
        user: 'end-user-1',
        size: { width: 1536, height: 1024, requested: '1536x1024', tier: 'large' },
      }),
      testCall(),
    );
    expect(result.images).toHaveLength(3);
    for (const image of result.images) {
      expect(await dimensions(image.bytes)).toEqual({ format: 'webp', width: 1536, height: 1024 });
    }
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]!.body).toEqual({
      model: 'gpt-image-1.5',
      prompt: 'a red fox in the snow',
      n: 3,
      size: '1536x1024',
      quality: 'low',
      background: 'opaque',
      output_format: 'webp',
      output_compression: 70,
      moderation: 'low',
      user: 'end-user-1',
    });
  });

  it('sends auto as the size it was priced at, not as auto', async () => {
    await provider.generate(
      input({ size: { width: 1024, height: 1024, requested: 'auto', tier: '1K' } }),
      testCall(),
    );
    expect(fake.requests[0]!.body!.size).toBe('1024x1024');
  });

  it('makes n DALL·E 3 images with n calls of one, base64, with revised prompts', async () => {
    const result = await provider.generate(
      input({ model: 'dall-e-3', n: 2, quality: 'auto', options: { style: 'natural' } }),
      testCall(),
    );
    expect(result.images).toHaveLength(2);
    expect(result.images.every((i) => i.bytes && i.revisedPrompt?.includes('red fox'))).toBe(true);
    expect(result.usage).toBeUndefined();
    expect(fake.requests.map((r) => r.body)).toEqual([
      {
        model: 'dall-e-3',
        prompt: 'a red fox in the snow',
        n: 1,
        size: '1024x1024',
        quality: 'standard',
        response_format: 'b64_json',
        style: 'natural',
      },
      {
        model: 'dall-e-3',
        prompt: 'a red fox in the snow',
        n: 1,
        size: '1024x1024',
        quality: 'standard',
        response_format: 'b64_json',
        style: 'natural',
      },
    ]);
  });

  it('returns the DALL·E 3 images that succeeded when some calls fail', async () => {
    fake.script({ type: 'server_error' });
    const result = await provider.generate(input({ model: 'dall-e-3', n: 3 }), testCall());
    expect(result.images).toHaveLength(2);
    expect(fake.requests).toHaveLength(3);
  });

  it('reports a safety refusal over other failures when every DALL·E 3 call fails', async () => {
    fake.script({ type: 'server_error', status: 503 });
    fake.script({ type: 'moderation_blocked' });
    fake.script({ type: 'server_error' });
    const error = await failure(provider.generate(input({ model: 'dall-e-3', n: 3 }), testCall()));
    expect(error).toMatchObject({ kind: 'safety', upstreamCode: 'content_policy_violation' });
  });

  it('passes route options through, and an unknown one comes back as OpenAI refused it', async () => {
    const error = await failure(
      provider.generate(input({ options: { sharpness: 3 } }), testCall()),
    );
    expect(error).toMatchObject({
      kind: 'terminal',
      status: 400,
      upstreamCode: 'unknown_parameter',
    });
    expect(error.message).toContain("Unknown parameter: 'sharpness'.");
  });

  it('returns URL outputs as URLs for Pixapi to download', async () => {
    fake.script({ type: 'url_outputs' });
    const result = await provider.generate(input({ n: 2 }), testCall());
    expect(result.images).toHaveLength(2);
    const url = result.images[0]!.url!;
    expect(url.startsWith(new URL(fake.url).origin)).toBe(true);
    const download = Buffer.from(await (await fetch(url)).arrayBuffer());
    expect((await dimensions(download)).format).toBe('png');
  });
});

describe('failures', () => {
  it.each([
    [500, { type: 'server_error', status: 500 }],
    [502, { type: 'server_error', status: 502 }],
    [503, { type: 'server_error', status: 503 }],
  ] as const)('classifies %s as retryable', async (status, behaviour) => {
    fake.script(behaviour);
    expect(await failure(provider.generate(input(), testCall()))).toMatchObject({
      kind: 'retryable',
      status,
    });
  });

  it('classifies a rate limit as retryable with retry-after', async () => {
    fake.script({ type: 'rate_limit', retryAfter: '3' });
    const error = await failure(provider.generate(input(), testCall()));
    expect(error).toMatchObject({
      kind: 'retryable',
      status: 429,
      retryAfterMs: 3000,
      upstreamCode: 'rate_limit_exceeded',
    });
  });

  it('prefers retry-after-ms, and falls back to the hint in the message', async () => {
    fake.script({ type: 'rate_limit', retryAfterMs: '250', retryAfter: '1' });
    expect((await failure(provider.generate(input(), testCall()))).retryAfterMs).toBe(250);
    fake.script({ type: 'rate_limit' });
    expect((await failure(provider.generate(input(), testCall()))).retryAfterMs).toBe(12_000);
  });

  it('classifies insufficient_quota as misconfigured (the operator must pay)', async () => {
    fake.script({ type: 'insufficient_quota' });
    const error = await failure(provider.generate(input(), testCall()));
    expect(error).toMatchObject({
      kind: 'misconfigured',
      status: 429,
      upstreamCode: 'insufficient_quota',
    });
  });

  it('classifies moderation_blocked as safety', async () => {
    fake.script({ type: 'moderation_blocked' });
    const error = await failure(provider.generate(input(), testCall()));
    expect(error).toMatchObject({
      kind: 'safety',
      status: 400,
      upstreamCode: 'moderation_blocked',
    });
  });

  it('classifies a refused key as misconfigured without leaking any key', async () => {
    const wrongKey = 'sk-wrong-key-abcdefghijklmnop';
    const wrong = createOpenAIProvider({ apiKey: wrongKey, baseUrl: fake.url });
    const error = await failure(wrong.generate(input(), testCall()));
    expect(error).toMatchObject({
      kind: 'misconfigured',
      status: 401,
      upstreamCode: 'invalid_api_key',
    });
    expect(error.message).not.toContain('sk-wro');
    expect(error.message).not.toContain('mnop');
  });

  it.each([['non_json'], ['no_data'], ['not_an_image']] as const)(
    'classifies a 200 answer with %s as invalid_response',
    async (type) => {
      fake.script({ type });
      const error = await failure(provider.generate(input(), testCall()));
      expect(error.kind).toBe('invalid_response');
    },
  );

  it('classifies a refused connection as retryable', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    const closed = createOpenAIProvider({ apiKey: 'sk-x', baseUrl: `http://127.0.0.1:${port}/v1` });
    expect((await failure(closed.generate(input(), testCall()))).kind).toBe('retryable');
  });

  it('lets an aborted call end with the signal reason, unclassified', async () => {
    fake.script({ type: 'slow', ms: 60_000 });
    const controller = new AbortController();
    const pending = provider.generate(input(), testCall({ signal: controller.signal }));
    await vi.waitFor(() => expect(fake.requests).toHaveLength(1));
    const reason = new Error('client deadline');
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
  });
});

describe('edit', () => {
  it('uploads repeated image[] parts, a mask and input_fidelity as multipart', async () => {
    const images = [await inputImage('png'), await inputImage('jpeg')];
    const mask = await inputImage('png');
    const edit: EditInput = { ...input({ n: 2 }), images, mask, inputFidelity: 'high' };
    const result = await provider.edit!(edit, testCall());
    expect(result.images).toHaveLength(2);
    expect(await dimensions(result.images[1]!.bytes)).toEqual({
      format: 'png',
      width: 1024,
      height: 1024,
    });
    const [request] = fake.requests;
    expect(request!.path).toBe('/v1/images/edits');
    expect(request!.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(request!.headers.authorization).toBe(`Bearer ${fake.apiKey}`);
    expect(request!.body).toEqual({
      model: 'gpt-image-1.5',
      prompt: 'a red fox in the snow',
      n: '2',
      size: '1024x1024',
      quality: 'auto',
      output_format: 'png',
      input_fidelity: 'high',
    });
    expect(
      request!.files.map(({ field, filename, contentType }) => ({ field, filename, contentType })),
    ).toEqual([
      { field: 'image[]', filename: 'image-1.png', contentType: 'image/png' },
      { field: 'image[]', filename: 'image-2.jpg', contentType: 'image/jpeg' },
      { field: 'mask', filename: 'mask.png', contentType: 'image/png' },
    ]);
    expect(request!.files[1]!.bytes.equals(images[1]!.bytes)).toBe(true);
  });

  it('classifies a refused edit like a refused generation', async () => {
    fake.script({ type: 'moderation_blocked' });
    const edit: EditInput = {
      ...input(),
      images: [await inputImage('png')],
      mask: undefined,
      inputFidelity: undefined,
    };
    expect((await failure(provider.edit!(edit, testCall()))).kind).toBe('safety');
  });
});

describe('stream', () => {
  it('streams partial images then the final image, sending partial_images once', async () => {
    const events = await collect(
      provider.stream!(input({ options: { partial_images: 2 } }), testCall()),
    );
    expect(events.map((e) => (e.type === 'partial_image' ? `partial ${e.index}` : e.type))).toEqual(
      ['partial 0', 'partial 1', 'completed'],
    );
    const completed = events[2];
    if (completed?.type !== 'completed') throw new Error('no completed event');
    expect(await dimensions(completed.image.bytes)).toEqual({
      format: 'png',
      width: 1024,
      height: 1024,
    });
    expect(completed.usage?.total_tokens).toBeGreaterThan(0);
    expect(fake.requests[0]!.headers.accept).toBe('text/event-stream');
    expect(fake.requests[0]!.body).toEqual({
      model: 'gpt-image-1.5',
      prompt: 'a red fox in the snow',
      n: 1,
      size: '1024x1024',
      quality: 'auto',
      output_format: 'png',
      stream: true,
      partial_images: 2,
    });
  });

  it('streams edits as image_edit events over multipart', async () => {
    const edit: EditInput = {
      ...input({ options: { partial_images: 1 } }),
      images: [await inputImage('png')],
      mask: undefined,
      inputFidelity: undefined,
    };
    const events = await collect(provider.stream!(edit, testCall()));
    expect(events.map((e) => e.type)).toEqual(['partial_image', 'completed']);
    expect(fake.requests[0]!.path).toBe('/v1/images/edits');
    expect(fake.requests[0]!.body).toMatchObject({ stream: 'true', partial_images: '1' });
  });

  it('turns an error event into a classified failure', async () => {
    fake.script({
      type: 'stream_error',
      code: 'moderation_blocked',
      errorType: 'image_generation_user_error',
      partials: 1,
    });
    const seen: StreamEvent[] = [];
    const error = await failure(
      (async () => {
        for await (const event of provider.stream!(
          input({ options: { partial_images: 1 } }),
          testCall(),
        ))
          seen.push(event);
      })(),
    );
    expect(seen.map((e) => e.type)).toEqual(['partial_image']);
    expect(error.kind).toBe('safety');
  });

  it('is invalid_response when the stream ends without a final image', async () => {
    fake.script({ type: 'stream_without_completed' });
    const error = await failure(
      collect(provider.stream!(input({ options: { partial_images: 1 } }), testCall())),
    );
    expect(error.kind).toBe('invalid_response');
  });

  it('fails before streaming like a plain call', async () => {
    fake.script({ type: 'rate_limit', retryAfter: '2' });
    const error = await failure(collect(provider.stream!(input(), testCall())));
    expect(error).toMatchObject({ kind: 'retryable', retryAfterMs: 2000 });
  });

  it('stops cleanly when the consumer stops early', async () => {
    const events: StreamEvent[] = [];
    for await (const event of provider.stream!(
      input({ n: 2, options: { partial_images: 3 } }),
      testCall(),
    )) {
      events.push(event);
      break;
    }
    expect(events).toEqual([expect.objectContaining({ type: 'partial_image', index: 0 })]);
    // The connection was released: the next call goes through.
    expect((await provider.generate(input(), testCall())).images).toHaveLength(1);
  });

  it('answers models that do not stream with completed events', async () => {
    const events = await collect(provider.stream!(input({ model: 'dall-e-3' }), testCall()));
    expect(events.map((e) => e.type)).toEqual(['completed']);
    expect(fake.requests[0]!.body).not.toHaveProperty('stream');
  });
});

describe('the fake rejects what OpenAI rejects', () => {
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${fake.url}/images/generations`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${fake.apiKey}`,
        'content-type': 'application/json',
        ...headers,
      },
      body: JSON.stringify(body),
    });

  it('refuses unknown fields, response_format for GPT models and missing auth', async () => {
    const seed = await post({ model: 'gpt-image-1.5', prompt: 'x', seed: 1 });
    expect(seed.status).toBe(400);
    expect(await seed.json()).toEqual({
      error: {
        message: "Unknown parameter: 'seed'.",
        type: 'invalid_request_error',
        param: 'seed',
        code: 'unknown_parameter',
      },
    });
    const format = await post({ model: 'gpt-image-1', prompt: 'x', response_format: 'b64_json' });
    expect(((await format.json()) as { error: { param: string } }).error.param).toBe(
      'response_format',
    );
    const anonymous = await post({ model: 'gpt-image-1', prompt: 'x' }, { authorization: '' });
    expect(anonymous.status).toBe(401);
  });

  it("takes OpenAI's JSON form of edits and refuses fields outside its schema", async () => {
    const edit = (body: unknown) =>
      fetch(`${fake.url}/images/edits`, {
        method: 'POST',
        headers: { authorization: `Bearer ${fake.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const images = [{ image_url: 'https://example.com/a.png' }];
    const ok = await edit({ model: 'gpt-image-1.5', prompt: 'x', images, moderation: 'low' });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { data: unknown[] }).data).toHaveLength(1);
    const refused = await edit({ model: 'gpt-image-1.5', prompt: 'x', images, seed: 1 });
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe(
      'unknown_parameter',
    );
  });
});
