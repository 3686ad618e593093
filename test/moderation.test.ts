import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { startFakeOpenAI, type FakeOpenAI } from './fakes/openai/index.js';
import { api, startTestServer, type TestServer } from './helpers/server.js';
import { eventually } from './helpers/tasks.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pixapi-moderation-'));
const rulesFile = path.join(dir, 'rules.yaml');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const PROMPT = { model: 'local-placeholder', size: '64x64' };

async function usageOf(server: TestServer, accountId: string) {
  return server.services.db.kysely
    .selectFrom('usage_records')
    .selectAll()
    .where('account_id', '=', accountId)
    .execute();
}

describe('moderation: rules', () => {
  let server: TestServer;
  beforeAll(async () => {
    fs.writeFileSync(rulesFile, 'terms: ["Crème brûlée"]\npatterns: ["\\\\bforbidden\\\\d+"]\n');
    server = await startTestServer({
      env: { PIXAPI_MODERATION: 'rules', PIXAPI_MODERATION_RULES: rulesFile },
    });
  });
  afterAll(async () => server?.close());

  it('refuses a matching prompt with 400, charges nothing and records it as blocked', async () => {
    const { accountId, apiKey } = await server.account(10);
    const res = await api(server.url, 'POST', '/v1/images/generations', {
      key: apiKey,
      body: { ...PROMPT, prompt: 'a CREME BRULEE, please' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'content_policy_violation', param: 'prompt' });
    const task = await api(server.url, 'POST', '/v1/async/images/generations', {
      key: apiKey,
      body: { ...PROMPT, prompt: 'forbidden42' },
    });
    expect(task.status).toBe(400);
    const ok = await api(server.url, 'POST', '/v1/images/generations', {
      key: apiKey,
      body: { ...PROMPT, prompt: 'a crème brûléed cake' },
    });
    expect(ok.status).toBe(200);
    const account = await api(server.url, 'GET', '/v1/account', { key: apiKey });
    expect(account.body).toMatchObject({ balance: 9, held: 0 });
    const blocked = (await usageOf(server, accountId)).filter((r) => r.status === 'blocked');
    expect(blocked.map((r) => [r.endpoint, r.blocked_reason, r.credits])).toEqual([
      ['images.generations', 'term:Crème brûlée', 0],
      ['async.images.generations', 'pattern:\\bforbidden\\d+', 0],
    ]);
  });

  it('reloads the file when it changes, and keeps the old rules when the new file is invalid', async () => {
    const { apiKey } = await server.account(10);
    const generate = (prompt: string) =>
      api(server.url, 'POST', '/v1/images/generations', {
        key: apiKey,
        body: { ...PROMPT, prompt },
      }).then((r) => r.status);
    fs.writeFileSync(rulesFile, JSON.stringify({ terms: ['volcano'] }));
    await eventually(
      async () => ((await generate('a volcano')) === 400 ? true : undefined),
      10_000,
    );
    expect(await generate('a crème brûlée')).toBe(200);
    fs.writeFileSync(rulesFile, '{"terms": "not a list"');
    await new Promise((r) => setTimeout(r, 2_500));
    expect(await generate('a volcano')).toBe(400);
  });

  it('an account may be exempted by the admin API', async () => {
    const { accountId, apiKey } = await server.account(10);
    const set = await api(server.url, 'PUT', `/v1/admin/accounts/${accountId}/moderation`, {
      key: server.adminKey,
      body: { mode: 'off' },
    });
    expect(set.body).toMatchObject({ mode: 'off', server_mode: 'rules' });
    const res = await api(server.url, 'POST', '/v1/images/generations', {
      key: apiKey,
      body: { ...PROMPT, prompt: 'a volcano' },
    });
    expect(res.status).toBe(200);
    const bad = await api(server.url, 'PUT', `/v1/admin/accounts/${accountId}/moderation`, {
      key: server.adminKey,
      body: { mode: 'openai' },
    });
    expect(bad.status).toBe(400);
  });

  it('an invalid rules file stops the start with a configuration error', async () => {
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(bad, '{"patterns": ["(unclosed"]}');
    await expect(
      startTestServer({ env: { PIXAPI_MODERATION: 'rules', PIXAPI_MODERATION_RULES: bad } }),
    ).rejects.toThrow(/PIXAPI_MODERATION_RULES: invalid pattern/);
    expect(() => loadConfig({ PIXAPI_MODERATION: 'rules' })).toThrow(/PIXAPI_MODERATION_RULES/);
  });
});

describe('moderation: openai', () => {
  let server: TestServer;
  let openai: FakeOpenAI;
  beforeAll(async () => {
    openai = await startFakeOpenAI();
    server = await startTestServer({
      env: {
        PIXAPI_MODERATION: 'openai',
        PIXAPI_MODERATION_CATEGORIES: 'violence,sexual/minors',
        OPENAI_API_KEY: openai.apiKey,
        OPENAI_BASE_URL: openai.url,
      },
    });
  });
  afterAll(async () => {
    await server?.close();
    await openai?.close();
  });

  it('refuses the categories chosen in config, and only those', async () => {
    const { accountId, apiKey } = await server.account(10);
    const generate = (prompt: string) =>
      api(server.url, 'POST', '/v1/images/generations', {
        key: apiKey,
        body: { ...PROMPT, prompt },
      });
    const refused = await generate('a scene flag:violence');
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ code: 'content_policy_violation' });
    // Flagged, but not in a chosen category.
    expect((await generate('a scene flag:harassment')).status).toBe(200);
    expect((await generate('a quiet lake')).status).toBe(200);
    const moderations = openai.requests.filter((r) => r.path === '/v1/moderations');
    expect(moderations).toHaveLength(3);
    const blocked = (await usageOf(server, accountId)).filter((r) => r.status === 'blocked');
    expect(blocked.map((r) => r.blocked_reason)).toEqual(['openai:violence']);
    const account = await api(server.url, 'GET', '/v1/account', { key: apiKey });
    expect(account.body).toMatchObject({ balance: 8, held: 0 });
  });
});
