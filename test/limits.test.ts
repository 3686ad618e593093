import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresAvailable } from './helpers/postgres.js';
import { redisAvailable, TEST_REDIS_URL } from './helpers/redis.js';
import { api, startTestServer, type TestServer } from './helpers/server.js';

const PROMPT = { model: 'local-placeholder', prompt: 'a lighthouse', size: '64x64' };

function generate(server: TestServer, key: string, body: Record<string, unknown> = {}) {
  return api(server.url, 'POST', '/v1/images/generations', { key, body: { ...PROMPT, ...body } });
}

async function setLimits(
  server: TestServer,
  target: { keyId: string } | { accountId: string },
  limits: Record<string, number | null>,
) {
  const path =
    'keyId' in target
      ? `/v1/admin/keys/${target.keyId}/limits`
      : `/v1/admin/accounts/${target.accountId}/limits`;
  const res = await api(server.url, 'PATCH', path, { key: server.adminKey, body: limits });
  expect(res.status).toBe(200);
  return res.body;
}

/** An account with its own key (not the default one), so that key and account differ. */
async function tenant(server: TestServer, credits = 100) {
  const { accountId } = await server.account(credits);
  const key = await server.services.accounts.createKey(accountId, { name: 'limited' });
  return { accountId, keyId: key.keyId, apiKey: key.apiKey };
}

async function balance(server: TestServer, key: string): Promise<number> {
  return (await api(server.url, 'GET', '/v1/account', { key })).body.balance as number;
}

async function usageCount(server: TestServer, accountId: string): Promise<number> {
  const rows = await server.services.db.kysely
    .selectFrom('usage_records')
    .select('id')
    .where('account_id', '=', accountId)
    .execute();
  return rows.length;
}

async function expectRpmFiveOfEight(servers: TestServer[], t: { apiKey: string }) {
  const results = [];
  for (let i = 0; i < 8; i++) results.push(await generate(servers[i % servers.length]!, t.apiKey));
  const ok = results.filter((r) => r.status === 200);
  const refused = results.filter((r) => r.status === 429);
  expect(ok).toHaveLength(5);
  expect(refused).toHaveLength(3);
  for (const r of refused) {
    expect(r.body.error).toMatchObject({ code: 'rate_limit_exceeded', type: 'rate_limit_error' });
    expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(r.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(r.headers.get('x-ratelimit-limit-requests')).toBe('5');
    expect(r.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    expect(r.headers.get('x-ratelimit-reset-requests')).toMatch(/^(\d+ms|\d+s|1m0s)$/);
  }
  expect(ok.map((r) => r.headers.get('x-ratelimit-remaining-requests'))).toEqual([
    '4',
    '3',
    '2',
    '1',
    '0',
  ]);
}

describe('limits on the embedded default (in-process counters)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { PIXAPI_LOCAL_DELAY_MS: '0' } });
  });
  afterAll(async () => server?.close());

  it('rpm 5: of 8 requests exactly 5 succeed, 3 get 429 with retry-after, and only 5 are charged', async () => {
    const t = await tenant(server);
    await setLimits(server, { keyId: t.keyId }, { rpm: 5 });
    await expectRpmFiveOfEight([server], t);
    expect(await balance(server, t.apiKey)).toBe(95);
    // Refused requests leave no hold and no usage record.
    expect(await usageCount(server, t.accountId)).toBe(5);
    const held = await server.services.ledger.balance(t.accountId);
    expect(held.held).toBe(0);
  });

  it('counts async submissions too, before anything is held', async () => {
    const t = await tenant(server);
    await setLimits(server, { keyId: t.keyId }, { rpm: 2 });
    const submit = () =>
      api(server.url, 'POST', '/v1/async/images/generations', { key: t.apiKey, body: PROMPT });
    expect((await submit()).status).toBe(202);
    expect((await generate(server, t.apiKey)).status).toBe(200);
    const refused = await submit();
    expect(refused.status).toBe(429);
    expect(refused.body.error).toMatchObject({ code: 'rate_limit_exceeded' });
    const tasks = await server.services.db.kysely
      .selectFrom('tasks')
      .select('id')
      .where('account_id', '=', t.accountId)
      .execute();
    expect(tasks).toHaveLength(1);
  });

  it('images per minute weigh n, with the -images headers', async () => {
    const t = await tenant(server);
    await setLimits(server, { keyId: t.keyId }, { images_per_minute: 3 });
    const first = await generate(server, t.apiKey, { n: 2 });
    expect(first.status).toBe(200);
    expect(first.headers.get('x-ratelimit-limit-images')).toBe('3');
    expect(first.headers.get('x-ratelimit-remaining-images')).toBe('1');
    const second = await generate(server, t.apiKey, { n: 2 });
    expect(second.status).toBe(429);
    expect(second.headers.get('x-ratelimit-remaining-images')).toBe('1');
    // The refused request took nothing: one image is still allowed.
    expect((await generate(server, t.apiKey, { n: 1 })).status).toBe(200);
    expect(await balance(server, t.apiKey)).toBe(97);
  });

  it('a budget of 3 credits stops the 4th image, with retry-after until UTC midnight', async () => {
    const t = await tenant(server);
    await setLimits(server, { accountId: t.accountId }, { daily_credits: 3 });
    for (let i = 0; i < 3; i++) expect((await generate(server, t.apiKey)).status).toBe(200);
    const fourth = await generate(server, t.apiKey);
    expect(fourth.status).toBe(429);
    expect(fourth.body.error).toMatchObject({ code: 'budget_exceeded' });
    expect(fourth.headers.get('x-should-retry')).toBe('false');
    const now = new Date();
    const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
    const retryAfter = Number(fourth.headers.get('retry-after'));
    expect(Math.abs(retryAfter - (midnight - Date.now()) / 1000)).toBeLessThan(5);
    expect(await balance(server, t.apiKey)).toBe(97);
    // Another key of the same account shares the account's budget.
    const other = await server.services.accounts.createKey(t.accountId);
    expect((await generate(server, other.apiKey)).status).toBe(429);
  });

  it('a monthly budget of a key counts what its accepted tasks hold', async () => {
    const t = await tenant(server);
    await setLimits(server, { keyId: t.keyId }, { monthly_credits: 2.5 });
    const submit = (n: number) =>
      api(server.url, 'POST', '/v1/async/images/generations', {
        key: t.apiKey,
        body: { ...PROMPT, n },
      });
    expect((await submit(2)).status).toBe(202);
    const over = await submit(1);
    expect(over.status).toBe(429);
    expect(over.body.error).toMatchObject({ code: 'budget_exceeded' });
  });

  it('max-concurrent 1: a second request while one runs gets 429, then passes', async () => {
    const slow = await startTestServer({ env: { PIXAPI_LOCAL_DELAY_MS: '400' } });
    try {
      const t = await tenant(slow);
      await setLimits(slow, { keyId: t.keyId }, { max_concurrent: 1 });
      const [a, b] = await Promise.all([
        generate(slow, t.apiKey),
        new Promise((r) => setTimeout(r, 100)).then(() => generate(slow, t.apiKey)),
      ]);
      expect([a.status, b.status]).toEqual([200, 429]);
      expect(b.body.error).toMatchObject({ code: 'rate_limit_exceeded' });
      expect((await generate(slow, t.apiKey)).status).toBe(200);
    } finally {
      await slow.close();
    }
  });

  it('the admin API shows and clears limits, and is for admins only', async () => {
    const t = await tenant(server);
    const set = await setLimits(server, { keyId: t.keyId }, { rpm: 7, daily_credits: 1.5 });
    expect(set.limits).toMatchObject({ rpm: 7, daily_credits: 1.5, max_concurrent: null });
    const cleared = await setLimits(server, { keyId: t.keyId }, { rpm: null });
    expect(cleared.limits).toMatchObject({ rpm: null, daily_credits: 1.5 });
    const bad = await api(server.url, 'PATCH', `/v1/admin/keys/${t.keyId}/limits`, {
      key: server.adminKey,
      body: { rpm: 0 },
    });
    expect(bad.status).toBe(400);
    const denied = await api(server.url, 'GET', `/v1/admin/keys/${t.keyId}/limits`, {
      key: t.apiKey,
    });
    expect(denied.status).toBe(403);
  });
});

describe('account-wide defaults from the config', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { PIXAPI_DEFAULT_RPM: '2' } });
  });
  afterAll(async () => server?.close());

  it('apply to every account without its own limits, and an account may be raised', async () => {
    const t = await tenant(server);
    expect((await generate(server, t.apiKey)).status).toBe(200);
    expect((await generate(server, t.apiKey)).status).toBe(200);
    expect((await generate(server, t.apiKey)).status).toBe(429);
    const raised = await tenant(server);
    const view = await setLimits(server, { accountId: raised.accountId }, { rpm: 10 });
    expect(view.effective).toMatchObject({ rpm: 10 });
    for (let i = 0; i < 3; i++) expect((await generate(server, raised.apiKey)).status).toBe(200);
  });
});

describe.skipIf(!redisAvailable || !postgresAvailable)('limits shared through Redis', () => {
  let first: TestServer;
  let second: TestServer;
  beforeAll(async () => {
    first = await startTestServer({ dialect: 'postgres', env: { REDIS_URL: TEST_REDIS_URL } });
    const database = first.services.config.database;
    if (database.kind !== 'postgres') throw new Error('expected PostgreSQL');
    // A second server on the same database and the same Redis, as a second replica would be.
    second = await startTestServer({
      env: { DATABASE_URL: database.url, REDIS_URL: TEST_REDIS_URL },
      workers: false,
    });
  });
  afterAll(async () => {
    await second?.close();
    await first?.close();
  });

  it('two servers on one Redis share the limit: 5 of 8 succeed across both', async () => {
    const t = await tenant(first);
    await setLimits(first, { keyId: t.keyId }, { rpm: 5 });
    await expectRpmFiveOfEight([first, second], t);
    expect(await balance(first, t.apiKey)).toBe(95);
    expect(first.services.counters.state()).toBe('ok');
  });

  it('a budget of 3 credits stops the 4th image', async () => {
    const t = await tenant(first);
    await setLimits(first, { keyId: t.keyId }, { daily_credits: 3 });
    for (let i = 0; i < 3; i++) expect((await generate(second, t.apiKey)).status).toBe(200);
    expect((await generate(first, t.apiKey)).body.error).toMatchObject({ code: 'budget_exceeded' });
  });

  it('images per minute are shared too', async () => {
    const t = await tenant(first);
    await setLimits(first, { keyId: t.keyId }, { images_per_minute: 2 });
    expect((await generate(first, t.apiKey)).status).toBe(200);
    expect((await generate(second, t.apiKey)).status).toBe(200);
    expect((await generate(first, t.apiKey)).status).toBe(429);
  });
});

describe('when Redis is unreachable', () => {
  let server: TestServer;
  beforeAll(async () => {
    // Nothing listens on port 1: every Redis call fails at once.
    server = await startTestServer({ env: { REDIS_URL: 'redis://127.0.0.1:1' } });
  });
  afterAll(async () => server?.close());

  it('requests keep flowing, limited per process', async () => {
    const t = await tenant(server);
    await setLimits(server, { keyId: t.keyId }, { rpm: 2 });
    expect((await generate(server, t.apiKey)).status).toBe(200);
    expect((await generate(server, t.apiKey)).status).toBe(200);
    expect((await generate(server, t.apiKey)).status).toBe(429);
    expect(server.services.counters.state()).toBe('degraded');
  });
});
