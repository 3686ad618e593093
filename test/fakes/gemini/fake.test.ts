import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_GEMINI_KEY, startFakeGemini, type FakeGemini } from './index.js';

let fake: FakeGemini;

beforeAll(async () => {
  fake = await startFakeGemini();
});
afterAll(() => fake.close());

describe('the fake rejects what the real API rejects', () => {
  async function post(body: unknown, headers: Record<string, string> = {}) {
    const response = await fetch(`${fake.url}/v1beta/models/gemini-3-pro-image:generateContent`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-goog-api-key': FAKE_GEMINI_KEY,
        ...headers,
      },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return {
      status: response.status,
      body: (await response.json()) as { error: { message: string; status: string } },
    };
  }
  const contents = [{ role: 'user', parts: [{ text: 'x' }] }];

  it('an unknown top-level field', async () => {
    const { status, body } = await post({ contents, x: 1 });
    expect(status).toBe(400);
    expect(body.error).toMatchObject({
      status: 'INVALID_ARGUMENT',
      message: 'Invalid JSON payload received. Unknown name "x": Cannot find field.',
    });
  });

  it('an unknown nested field, named with its path', async () => {
    const { body } = await post({ contents, generationConfig: { imageConfig: { quality: 'hd' } } });
    expect(body.error.message).toBe(
      `Invalid JSON payload received. Unknown name "quality" at 'generation_config.image_config': Cannot find field.`,
    );
  });

  it('a missing key, and a ratio the model lacks', async () => {
    const missing = await post({ contents }, { 'x-goog-api-key': '' });
    expect(missing).toMatchObject({
      status: 403,
      body: { error: { status: 'PERMISSION_DENIED' } },
    });
    const ratio = await post({
      contents,
      generationConfig: { imageConfig: { aspectRatio: '1:8' } },
    });
    expect(ratio.status).toBe(400);
  });

  it('a body that is not JSON, and a wrong content type', async () => {
    expect((await post('{oops')).status).toBe(400);
    expect((await post({ contents }, { 'content-type': 'text/plain' })).status).toBe(400);
  });
});
