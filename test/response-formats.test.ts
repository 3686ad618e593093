import OpenAI, { toFile } from 'openai';
import type { ImageGenCompletedEvent, ImagesResponse } from 'openai/resources/images';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAI } from './fakes/openai/index.js';
import { validateAgainst } from './helpers/openai-schemas.js';
import { api, startTestServer, type TestServer } from './helpers/server.js';
import { waitForTask } from './helpers/tasks.js';

/**
 * OpenAI answers GPT image models with `b64_json` and its clients read it without asking;
 * Pixapi's clients read `url`. With no `response_format` both come back (API.md), read here
 * through the `openai` SDK's own types.
 */

let server: TestServer;
let urlOnly: TestServer;
let fake: FakeOpenAI;
let png: Buffer;

beforeAll(async () => {
  fake = await startFakeOpenAI();
  server = await startTestServer({
    env: { OPENAI_API_KEY: fake.apiKey, OPENAI_BASE_URL: fake.url },
  });
  urlOnly = await startTestServer({ env: { PIXAPI_DEFAULT_RESPONSE_FORMAT: 'url' } });
  png = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#ff0000' } })
    .png()
    .toBuffer();
});
afterAll(async () => {
  await server?.close();
  await urlOnly?.close();
  await fake?.close();
});

const sdk = (target: TestServer) =>
  new OpenAI({ apiKey: target.adminKey, baseURL: `${target.url}/v1`, maxRetries: 0 });

async function expectPng(b64: string | undefined, width: number, height: number) {
  expect(b64).toBeTruthy();
  const meta = await sharp(Buffer.from(b64!, 'base64')).metadata();
  expect([meta.format, meta.width, meta.height]).toEqual(['png', width, height]);
}

function expectForm(result: ImagesResponse, form: 'both' | 'url' | 'b64_json') {
  expect(validateAgainst('ImagesResponse', result)).toEqual([]);
  for (const image of result.data ?? []) {
    expect(image.url !== undefined).toBe(form !== 'b64_json');
    expect(image.b64_json !== undefined).toBe(form !== 'url');
  }
}

const BODY = { model: 'local-placeholder', prompt: 'a red fox', size: '256x256' } as const;

describe('generations', () => {
  it('without response_format: both url and b64_json, the same image', async () => {
    const result = await sdk(server).images.generate({ ...BODY, n: 2 });
    expect(result.data).toHaveLength(2);
    expectForm(result, 'both');
    const [first] = result.data!;
    await expectPng(first!.b64_json, 256, 256);
    const served = await fetch(first!.url!.replace('localhost', '127.0.0.1'));
    expect(Buffer.from(await served.arrayBuffer()).toString('base64')).toBe(first!.b64_json);
  });

  it('"url" and "b64_json" narrow the answer', async () => {
    expectForm(await sdk(server).images.generate({ ...BODY, response_format: 'url' }), 'url');
    const b64 = await sdk(server).images.generate({ ...BODY, response_format: 'b64_json' });
    expectForm(b64, 'b64_json');
    await expectPng(b64.data![0]!.b64_json, 256, 256);
  });

  it('PIXAPI_DEFAULT_RESPONSE_FORMAT changes the default, not an explicit choice', async () => {
    expectForm(await sdk(urlOnly).images.generate(BODY), 'url');
    expectForm(
      await sdk(urlOnly).images.generate({ ...BODY, response_format: 'b64_json' }),
      'b64_json',
    );
  });
});

describe('edits', () => {
  it('multipart, as the SDK sends it: both by default, narrowed when asked', async () => {
    const image = await toFile(png, 'in.png', { type: 'image/png' });
    const both = await sdk(server).images.edit({ ...BODY, prompt: 'add a hat', image });
    expectForm(both, 'both');
    await expectPng(both.data![0]!.b64_json, 256, 256);
    const url = await sdk(server).images.edit({
      ...BODY,
      prompt: 'add a hat',
      image: await toFile(png, 'in.png', { type: 'image/png' }),
      response_format: 'url',
    });
    expectForm(url, 'url');
  });

  it('JSON: both by default, narrowed when asked', async () => {
    const input = `data:image/png;base64,${png.toString('base64')}`;
    const post = async (extra: Record<string, unknown>) => {
      const res = await api<ImagesResponse>(server.url, 'POST', '/v1/images/edits', {
        key: server.adminKey,
        body: { ...BODY, prompt: 'add a hat', images: [{ image_url: input }], ...extra },
      });
      expect(res.status).toBe(200);
      return res.body;
    };
    expectForm(await post({}), 'both');
    expectForm(await post({ response_format: 'b64_json' }), 'b64_json');
  });
});

describe('streams', () => {
  const streamed = async (extra: { response_format?: 'url' | 'b64_json' }) => {
    const stream = await sdk(server).images.generate({
      model: 'gpt-image-1.5',
      prompt: 'a lighthouse',
      quality: 'low',
      stream: true,
      partial_images: 1,
      ...extra,
    });
    let completed: (ImageGenCompletedEvent & { url?: string }) | undefined;
    for await (const event of stream) {
      if (event.type === 'image_generation.completed') completed = event;
    }
    expect(completed).toBeDefined();
    expect(validateAgainst('ImageGenCompletedEvent', completed)).toEqual([]);
    return completed!;
  };

  it('the completed event carries both by default; b64_json drops the url', async () => {
    const both = await streamed({});
    await expectPng(both.b64_json, 1024, 1024);
    expect(both.url).toMatch(/\/v1\/assets\/ast_\w+\.png$/);
    const b64 = await streamed({ response_format: 'b64_json' });
    expect(b64.url).toBeUndefined();
    await expectPng(b64.b64_json, 1024, 1024);
  });
});

describe('tasks', () => {
  it('keep URLs only, whatever the request asked', async () => {
    for (const extra of [{}, { response_format: 'b64_json' }]) {
      const submitted = await api<{ id: string }>(
        server.url,
        'POST',
        '/v1/async/images/generations',
        { key: server.adminKey, body: { ...BODY, ...extra } },
      );
      expect(submitted.status).toBe(202);
      const task = await waitForTask(server.url, server.adminKey, submitted.body.id);
      const result = task.result as ImagesResponse;
      expectForm(result, 'url');
    }
  });
});

describe('OpenAI SDK errors', () => {
  it('no credits: a plain APIError with status 402 (the SDK has no class for it)', async () => {
    const poor = await server.account(0);
    const client = new OpenAI({ apiKey: poor.apiKey, baseURL: `${server.url}/v1`, maxRetries: 0 });
    const failure = await client.images.generate(BODY).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    const error = failure as InstanceType<typeof OpenAI.APIError>;
    expect(error.constructor).toBe(OpenAI.APIError);
    expect(error.status).toBe(402);
    expect(error.code).toBe('insufficient_credits');
  });
});
