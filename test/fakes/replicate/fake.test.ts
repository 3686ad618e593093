import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPLICATE_FAKE_TOKEN, startFakeReplicate } from './index.js';
import type { ReplicateFake } from './index.js';

let fake: ReplicateFake;

beforeAll(async () => {
  fake = await startFakeReplicate();
});
afterAll(() => fake.close());

describe('the Replicate fake', () => {
  it('rejects unknown top-level fields and a missing version as Replicate does', async () => {
    const post = (path: string, body: unknown) =>
      fetch(`${fake.url}${path}`, {
        method: 'POST',
        headers: {
          authorization: `Token ${REPLICATE_FAKE_TOKEN}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify(body),
      });
    const extra = await post('/v1/models/black-forest-labs/flux-schnell/predictions', {
      input: { prompt: 'x' },
      model: 'flux',
    });
    expect(extra.status).toBe(422);
    expect(await extra.json()).toMatchObject({
      title: 'Input validation failed',
      invalid_fields: [{ type: 'additional_property_not_allowed' }],
    });
    const missing = await post('/v1/predictions', { input: { prompt: 'x' } });
    expect(await missing.json()).toMatchObject({ detail: '- version is required\n', status: 422 });
  });
});
