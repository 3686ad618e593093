import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAI } from './fakes/openai/index.js';
import { api, startTestServer, type TestServer } from './helpers/server.js';
import { waitForTask } from './helpers/tasks.js';

/** The value of the series `name` whose labels include `labels`, or undefined. */
function sample(text: string, name: string, labels: Record<string, string> = {}) {
  for (const line of text.split('\n')) {
    const match = /^([a-z_:]+)(\{[^}]*\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const set = match[2] ?? '';
    if (Object.entries(labels).every(([k, v]) => set.includes(`${k}="${v}"`))) {
      return Number(match[3]);
    }
  }
  return undefined;
}

let server: TestServer;
let openai: FakeOpenAI;

beforeAll(async () => {
  openai = await startFakeOpenAI();
  server = await startTestServer({
    env: { OPENAI_API_KEY: openai.apiKey, OPENAI_BASE_URL: openai.url },
  });
});
afterAll(async () => {
  await server?.close();
  await openai?.close();
});

const scrape = async (headers: Record<string, string> = {}) => {
  const res = await fetch(`${server.url}/metrics`, { headers });
  return { status: res.status, text: await res.text(), type: res.headers.get('content-type') };
};

describe('/metrics', () => {
  it('shows the traffic that went through, with bounded labels', async () => {
    const { accountId, apiKey } = await server.account(100);
    const local = { model: 'local-placeholder', prompt: 'secret prompt text', size: '64x64' };
    const gen = (body: Record<string, unknown>) =>
      api(server.url, 'POST', '/v1/images/generations', { key: apiKey, body });
    expect((await gen(local)).status).toBe(200);
    expect((await gen({ ...local, n: 2 })).status).toBe(200);
    // The fake fails once, the router retries the route and succeeds.
    openai.script({ type: 'server_error', status: 500 }, 1);
    const viaOpenAI = await gen({ model: 'gpt-image-1.5', prompt: 'p', quality: 'low' });
    expect(viaOpenAI.status).toBe(200);
    // The model that served (a retired model is redirected to its replacement).
    const served = String(viaOpenAI.body.model);
    // A refusal by a limit.
    await server.services.limitStore.updateAccount(accountId, { rpm: 1 });
    expect((await gen(local)).status).toBe(200);
    expect((await gen(local)).status).toBe(429);
    // A task.
    await server.services.limitStore.updateAccount(accountId, { rpm: null });
    const task = await api(server.url, 'POST', '/v1/async/images/generations', {
      key: apiKey,
      body: local,
    });
    expect(task.status).toBe(202);
    await waitForTask(server.url, apiKey, String(task.body.id));
    await api(server.url, 'GET', '/v1/tasks/task_unknown', { key: apiKey });

    const { status, text, type } = await scrape();
    expect(status).toBe(200);
    expect(type).toMatch(/^text\/plain/);
    const gens = { route: '/v1/images/generations', method: 'POST' };
    expect(sample(text, 'pixapi_http_requests_total', { ...gens, status: '200' })).toBe(4);
    expect(sample(text, 'pixapi_http_requests_total', { ...gens, status: '429' })).toBe(1);
    expect(sample(text, 'pixapi_http_request_duration_seconds_count', gens)).toBe(5);
    expect(
      sample(text, 'pixapi_http_requests_total', { route: '/v1/tasks/:id', status: '404' }),
    ).toBe(1);
    expect(sample(text, 'pixapi_images_delivered_total', { model: 'local-placeholder' })).toBe(5);
    expect(sample(text, 'pixapi_credits_charged_total', { model: 'local-placeholder' })).toBe(5);
    expect(sample(text, 'pixapi_credits_charged_total', { model: served })).toBe(1);
    expect(
      sample(text, 'pixapi_image_requests_total', {
        endpoint: 'async.images.generations',
        status: 'succeeded',
      }),
    ).toBe(1);
    const openaiRoute = { provider: 'openai', route: `openai/${served}` };
    expect(
      sample(text, 'pixapi_provider_calls_total', { ...openaiRoute, outcome: 'retryable' }),
    ).toBe(1);
    expect(
      sample(text, 'pixapi_provider_calls_total', { ...openaiRoute, outcome: 'success' }),
    ).toBe(1);
    expect(sample(text, 'pixapi_provider_call_duration_seconds_count', openaiRoute)).toBe(2);
    expect(sample(text, 'pixapi_provider_retries_total', { route: `openai/${served}` })).toBe(1);
    expect(sample(text, 'pixapi_breaker_state', { route: `openai/${served}` })).toBe(0);
    expect(
      sample(text, 'pixapi_rate_limit_refusals_total', { limit: 'rpm', scope: 'account' }),
    ).toBe(1);
    expect(sample(text, 'pixapi_tasks', { status: 'submitted' })).toBe(0);
    expect(sample(text, 'pixapi_process_cpu_seconds_total')).toBeGreaterThan(0);
    // Bounded labels: no prompts, no ids, no keys.
    expect(text).not.toContain('secret prompt text');
    expect(text).not.toMatch(/task_|acc_|key_|req_|sk_pix_/);
  });

  it('answers loopback clients only when no token is set, and the token bearer when one is', async () => {
    // The test client is on loopback: allowed without a token.
    expect((await scrape()).status).toBe(200);
    const guarded = await startTestServer({ env: { PIXAPI_METRICS_TOKEN: 'scrape-me-please' } });
    try {
      const get = (headers: Record<string, string> = {}) =>
        fetch(`${guarded.url}/metrics`, { headers }).then((r) => r.status);
      expect(await get()).toBe(403);
      expect(await get({ authorization: 'Bearer wrong' })).toBe(403);
      expect(await get({ authorization: 'Bearer scrape-me-please' })).toBe(200);
    } finally {
      await guarded.close();
    }
  });
});
