import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { api, startTestServer } from './helpers/server.js';

let dataDir: string;

beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pixapi-limits-cli-'));
});
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

async function json(args: string[]) {
  const result = await runCli([...args, '--json'], { PIXAPI_DATA_DIR: dataDir });
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout.trim()) as Record<string, unknown>;
}

describe('limits set by bin/pixapi keys create / keys update', () => {
  it('a key created with --rpm 5 answers 5 of 8 requests; keys update changes its limits', async () => {
    const account = await json(['accounts', 'create', '--name', 'tenant', '--credits', '20']);
    const key = await json([
      'keys',
      'create',
      '--account',
      String(account.account_id),
      '--rpm',
      '5',
      '--daily-credits',
      '12.5',
    ]);

    const server = await startTestServer({ env: { PIXAPI_DATA_DIR: dataDir } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++) {
        const res = await api(server.url, 'POST', '/v1/images/generations', {
          key: String(key.api_key),
          body: { model: 'local-placeholder', prompt: 'x', size: '64x64' },
        });
        statuses.push(res.status);
      }
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
    } finally {
      await server.close();
    }

    const updated = await json([
      'keys',
      'update',
      '--key',
      String(key.key_id),
      '--rpm',
      'none',
      '--max-concurrent',
      '2',
      '--monthly-credits',
      '100',
    ]);
    expect(updated).toEqual({
      key_id: key.key_id,
      limits: {
        rpm: null,
        images_per_minute: null,
        max_concurrent: 2,
        daily_credits: 12.5,
        monthly_credits: 100,
      },
    });

    const bad = await runCli(['keys', 'update', '--key', String(key.key_id), '--rpm', '0'], {
      PIXAPI_DATA_DIR: dataDir,
    });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/--rpm must be a positive integer/);
  });
});
