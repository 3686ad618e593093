import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startTestServer, type TestServer } from './helpers/server.js';

/** Prices a client can compute: the catalog's price table, and estimates without a provider. */

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server?.close());

interface Pricing {
  tiers: Array<{ tier: string; sizes: string[]; max_pixels?: number }>;
  tier_prices: Array<{ tier: string; quality: string; credits: number }>;
  size_prices: Array<{ size: string; tier: string; quality: string; credits: number }>;
}

const model = async (id: string) =>
  (
    await api<{ pricing: Pricing; sizes: string[]; qualities: string[] }>(
      server.url,
      'GET',
      `/v1/models/${id}`,
    )
  ).body;

const estimate = (body: Record<string, unknown>, key = server.adminKey) =>
  api(server.url, 'POST', '/v1/images/estimate', { key, body });

describe('price table in /v1/models', () => {
  it('puts every size in one tier and prices every size × quality as an estimate does', async () => {
    const all = await api<{
      data: Array<{ id: string; served_by: string; sizes: string[]; qualities: string[] }>;
    }>(server.url, 'GET', '/v1/models');
    const id = all.body.data.find(
      (m) => m.served_by === m.id && m.id.startsWith('gpt-image') && m.qualities.length > 1,
    )!.id;
    const { pricing, sizes, qualities } = await model(id);
    const tiered = pricing.tiers.flatMap((t) => t.sizes);
    expect([...tiered].sort()).toEqual([...sizes].sort());
    expect(pricing.size_prices).toHaveLength(sizes.length * qualities.length);
    const list = await api<{ data: Array<{ id: string; pricing: Pricing }> }>(
      server.url,
      'GET',
      '/v1/models',
    );
    expect(list.body.data.find((m) => m.id === id)?.pricing).toEqual(pricing);

    for (const entry of pricing.size_prices) {
      const res = await estimate({
        model: id,
        prompt: 'x',
        size: entry.size,
        quality: entry.quality,
        n: 2,
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({
        tier: entry.tier,
        credits_per_image: entry.credits,
        hold_credits: 2 * entry.credits,
      });
      const byTier = pricing.tier_prices.find(
        (p) => p.tier === entry.tier && p.quality === entry.quality,
      );
      expect(byTier?.credits).toBe(entry.credits);
    }
    // Not configured here: the estimate needs no provider.
    expect((await estimate({ model: id, prompt: 'x' })).body.available).toBe(false);
  });

  it('a model redirected to its replacement shows the replacement’s prices', async () => {
    const redirected = await model('gpt-image-1.5');
    const served = (redirected as unknown as { served_by: string }).served_by;
    expect(served).not.toBe('gpt-image-1.5');
    const { pricing } = await model(served);
    expect(redirected.pricing.size_prices).toEqual(pricing.size_prices);
    const res = await estimate({ model: 'gpt-image-1.5', prompt: 'x', quality: 'medium' });
    const entry = pricing.size_prices.find((p) => p.size === 'auto' && p.quality === 'medium');
    expect(res.body.credits_per_image).toBe(entry?.credits);
  });

  it('free-form sizes are priced by pixel tiers', async () => {
    const { pricing } = await model('gpt-image-2');
    const bounded = pricing.tiers.filter((t) => t.max_pixels !== undefined);
    expect(bounded.length).toBeGreaterThan(0);
    const res = await estimate({ model: 'gpt-image-2', prompt: 'x', size: '2048x1152' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const tier = [...bounded]
      .sort((a, b) => a.max_pixels! - b.max_pixels!)
      .find((t) => 2048 * 1152 <= t.max_pixels!)!.tier;
    expect(res.body.tier).toBe(tier);
  });
});

describe('POST /v1/images/estimate', () => {
  it('answers what the request then holds and charges, charging nothing itself', async () => {
    const account = await server.account(10);
    const body = { model: 'local-placeholder', prompt: 'a fox', size: '256x256', n: 2 };
    const est = await estimate(body, account.apiKey);
    expect(est.status).toBe(200);
    expect(est.body).toMatchObject({
      object: 'image.estimate',
      model: 'local-placeholder',
      endpoint: 'images.generations',
      n: 2,
      size: '256x256',
      available_credits: 10,
      sufficient: true,
      available: true,
    });
    const res = await api(server.url, 'POST', '/v1/images/generations', {
      key: account.apiKey,
      body,
    });
    expect(res.status).toBe(200);
    expect(res.body.billing).toMatchObject({ credits: est.body.max_charge_credits });
    const after = await api(server.url, 'GET', '/v1/account', { key: account.apiKey });
    expect(after.body.balance).toBe(10 - (est.body.max_charge_credits as number));
  });

  it('prices edits without fetching their inputs, and says when credits are short', async () => {
    const poor = await server.account(0);
    const res = await estimate(
      { model: 'local-placeholder', prompt: 'x', image: 'http://127.0.0.1:1/never.png' },
      poor.apiKey,
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ endpoint: 'images.edits', sufficient: false });
  });

  it('validates like the real request and needs a key', async () => {
    const bad = await estimate({ model: 'local-placeholder', prompt: 'x', size: '7x7' });
    expect(bad.status).toBe(400);
    expect((bad.body.error as { code: string }).code).toBe('unsupported_size');
    const anonymous = await api(server.url, 'POST', '/v1/images/estimate', {
      body: { model: 'local-placeholder', prompt: 'x' },
    });
    expect(anonymous.status).toBe(401);
  });
});
