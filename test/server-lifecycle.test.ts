import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnServer } from './helpers/cli.js';
import { api } from './helpers/server.js';

let dataDir: string;

beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pixapi-life-'));
});
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('pixapi serve as an operator runs it', () => {
  it('prints the admin key once, serves the README request, and finishes in-flight work on SIGTERM', async () => {
    const env = { PORT: '0', PIXAPI_DATA_DIR: dataDir, PIXAPI_LOCAL_DELAY_MS: '1500' };
    const first = await spawnServer(env);
    const printed = /Admin API key: (sk_pix_[0-9A-Za-z]{28})\n/.exec(first.stderr());
    expect(printed).not.toBeNull();
    const key = printed![1]!;

    expect((await api(first.url, 'GET', '/healthz')).status).toBe(200);
    expect((await api(first.url, 'GET', '/readyz')).body).toEqual({ status: 'ready' });

    const inFlight = api(first.url, 'POST', '/v1/images/generations', {
      key,
      body: { model: 'local-placeholder', prompt: 'slow one', size: '64x64' },
    });
    await new Promise((r) => setTimeout(r, 300));
    first.child.kill('SIGTERM');
    const answer = await inFlight;
    expect(answer.status).toBe(200);
    expect(await first.exited).toBe(0);
    // Printed once on stderr, never in the JSON logs on stdout (which redact authorization).
    expect(first.stderr().split(key).length - 1).toBe(1);
    expect(first.stdout()).not.toContain(key);
    for (const line of first.stdout().trim().split('\n'))
      expect(() => JSON.parse(line)).not.toThrow();

    const second = await spawnServer(env);
    expect(second.stderr()).not.toContain('Admin API key');
    const account = await api(second.url, 'GET', '/v1/account', { key });
    expect(account.body).toMatchObject({ name: 'admin', balance: 999 });
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  });
});
