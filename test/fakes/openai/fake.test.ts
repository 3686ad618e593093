import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAI } from './index.js';
import type { FakeOpenAI } from './index.js';

let fake: FakeOpenAI;

beforeAll(async () => {
  // OpenAI as of 2026-05-01, when both gpt-image-1.5 and dall-e-3 still answered.
  fake = await startFakeOpenAI({ now: () => Date.parse('2026-05-01T00:00:00Z') });
});
afterAll(() => fake.close());

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
