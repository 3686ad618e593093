import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeBfl } from './index.js';
import type { FakeBfl } from './index.js';

let fake: FakeBfl;

beforeAll(async () => {
  fake = await startFakeBfl();
});
afterAll(() => fake.close());

describe('the BFL fake rejects what BFL rejects', () => {
  const post = (body: string, headers: Record<string, string>) =>
    fetch(`${fake.url}/v1/flux-2-pro`, { method: 'POST', headers, body });
  const json = { 'content-type': 'application/json' };

  it('answers 401 without x-key and 403 with a wrong one', async () => {
    const missing = await post('{"prompt":"x"}', json);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toEqual({ detail: 'Not authenticated' });
    const wrong = await post('{"prompt":"x"}', { ...json, 'x-key': 'nope' });
    expect(wrong.status).toBe(403);
    expect(await wrong.json()).toEqual({ detail: 'Not authenticated - Invalid Authentication' });
  });

  it('answers 422 extra_forbidden for unknown fields', async () => {
    const res = await post('{"prompt":"x","x":1}', { ...json, 'x-key': fake.apiKey });
    expect(res.status).toBe(422);
    expect(await res.json()).toEqual({
      detail: [
        {
          type: 'extra_forbidden',
          loc: ['body', 'x'],
          msg: 'Extra inputs are not permitted',
          input: 1,
        },
      ],
    });
  });

  it('answers 422 for a non-JSON content type and for a data: URL as input_image', async () => {
    const form = await post('prompt=x', { 'content-type': 'text/plain', 'x-key': fake.apiKey });
    expect(form.status).toBe(422);
    const dataUrl = await post(
      '{"prompt":"x","input_image":"data:image/png;base64,iVBORw0KGgo="}',
      {
        ...json,
        'x-key': fake.apiKey,
      },
    );
    expect(dataUrl.status).toBe(422);
    const { detail } = (await dataUrl.json()) as { detail: Array<{ loc: string[] }> };
    expect(detail[0]?.loc).toEqual(['body', 'input_image']);
  });
});
