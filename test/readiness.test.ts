import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { api, startTestServer, type TestServer } from './helpers/server.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('/readyz', () => {
  it('reports each dependency and the breaker of each route used', async () => {
    server = await startTestServer();
    const { apiKey } = await server.account(5);
    await api(server.url, 'POST', '/v1/images/generations', {
      key: apiKey,
      body: { model: 'local-placeholder', prompt: 'x', size: '32x32' },
    });
    const res = await api(server.url, 'GET', '/readyz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      status: 'ready',
      checks: {
        database: 'ok',
        storage: 'ok',
        redis: 'not_configured',
        queue: { status: 'ok', submitted: 0, processing: 0 },
        breakers: { 'local/local-placeholder': 'closed' },
      },
    });
  });

  it('stays ready with Redis down (limits count per process), but not without storage', async () => {
    server = await startTestServer({ env: { REDIS_URL: 'redis://127.0.0.1:1' } });
    const degraded = await api(server.url, 'GET', '/readyz');
    expect(degraded.status).toBe(200);
    expect(degraded.body.checks).toMatchObject({ redis: 'degraded' });

    // The asset directory gone: nothing can be stored any more.
    fs.rmSync(path.join(server.dataDir, 'assets'), { recursive: true, force: true });
    const down = await api(server.url, 'GET', '/readyz');
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ status: 'not_ready', checks: { storage: 'failing' } });
  });
});
