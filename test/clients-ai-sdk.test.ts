import { createOpenAI } from '@ai-sdk/openai';
import { APICallError, generateImage } from 'ai';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAI } from './fakes/openai/index.js';
import { api, startTestServer, type TestServer } from './helpers/server.js';

/**
 * Vercel's AI SDK (`ai` with `@ai-sdk/openai`), unchanged, pointed at Pixapi. For GPT image
 * model ids it sends no response_format and reads b64_json: the client of issue 9.
 */

let server: TestServer;
let fake: FakeOpenAI;

beforeAll(async () => {
  fake = await startFakeOpenAI();
  server = await startTestServer({
    env: { OPENAI_API_KEY: fake.apiKey, OPENAI_BASE_URL: fake.url },
  });
});
afterAll(async () => {
  await server?.close();
  await fake?.close();
});

const provider = (key: string) => createOpenAI({ apiKey: key, baseURL: `${server.url}/v1` });

async function dimensions(bytes: Uint8Array) {
  const meta = await sharp(Buffer.from(bytes)).metadata();
  return [meta.format, meta.width, meta.height];
}

describe('AI SDK generateImage', () => {
  it('a GPT image model (no response_format sent) gets its images, charged once each', async () => {
    const account = await server.account(10);
    const result = await generateImage({
      model: provider(account.apiKey).image('gpt-image-1.5'),
      prompt: 'a lighthouse at dawn',
      size: '1024x1024',
      providerOptions: { openai: { quality: 'low' } },
      maxRetries: 0,
    });
    expect(result.images).toHaveLength(1);
    expect(await dimensions(result.images[0]!.uint8Array)).toEqual(['png', 1024, 1024]);
    const sent = fake.requests.find((r) => r.path === '/v1/images/generations');
    expect(sent?.body).not.toHaveProperty('response_format');
    const after = await api(server.url, 'GET', '/v1/account', { key: account.apiKey });
    expect(after.body.balance).toBe(9);
  });

  it('the local model, and an edit of the image it made', async () => {
    const account = await server.account(10);
    const openai = provider(account.apiKey);
    const made = await generateImage({
      model: openai.image('local-placeholder'),
      prompt: 'a red fox',
      size: '256x256',
      maxRetries: 0,
    });
    expect(await dimensions(made.images[0]!.uint8Array)).toEqual(['png', 256, 256]);
    const edited = await generateImage({
      model: openai.image('local-placeholder'),
      prompt: { text: 'add a hat', images: [made.images[0]!.uint8Array] },
      size: '256x256',
      maxRetries: 0,
    });
    expect(await dimensions(edited.images[0]!.uint8Array)).toEqual(['png', 256, 256]);
    const after = await api(server.url, 'GET', '/v1/account', { key: account.apiKey });
    expect(after.body.balance).toBe(8);
  });

  it('no credits: an APICallError with status 402 and OpenAI’s error body', async () => {
    const poor = await server.account(0);
    const failure = await generateImage({
      model: provider(poor.apiKey).image('local-placeholder'),
      prompt: 'x',
      maxRetries: 0,
    }).catch((error: unknown) => error);
    expect(APICallError.isInstance(failure)).toBe(true);
    const error = failure as APICallError;
    expect(error.statusCode).toBe(402);
    expect(error.isRetryable).toBe(false);
    expect(JSON.parse(error.responseBody ?? '{}').error.code).toBe('insufficient_credits');
  });
});
