import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';

let dataDir: string;
let env: Record<string, string>;

beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pixapi-cli-'));
  env = { PIXAPI_DATA_DIR: dataDir };
});
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

async function json(args: string[]) {
  const result = await runCli([...args, '--json'], env);
  expect(result.stderr, result.stderr).toBe('');
  expect(result.code).toBe(0);
  const lines = result.stdout.trim().split('\n');
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0]!) as Record<string, unknown>;
}

describe('bin/pixapi --json (CONFIG.md)', () => {
  it('migrate applies the migrations once', async () => {
    expect(await json(['migrate'])).toEqual({
      applied: ['001-initial', '002-tasks', '003-account-balances', '005-usage-requested-model'],
    });
    expect(await json(['migrate'])).toEqual({ applied: [] });
  });

  it('accounts create, credits grant, keys create and revoke', async () => {
    const account = await json(['accounts', 'create', '--name', 'acme', '--credits', '2.5']);
    expect(account).toMatchObject({ balance: 2.5 });
    expect(account.account_id).toMatch(/^acc_/);
    expect(account.api_key).toMatch(/^sk_pix_[0-9A-Za-z]{28}$/);

    const grant = await json([
      'credits',
      'grant',
      '--account',
      String(account.account_id),
      '--credits',
      '10',
      '--note',
      'promo',
    ]);
    expect(grant).toEqual({ account_id: account.account_id, balance: 12.5 });
    expect(await json(['ledger', 'verify'])).toEqual({ ok: true, mismatches: [] });

    const key = await json([
      'keys',
      'create',
      '--account',
      String(account.account_id),
      '--name',
      'ci',
      '--rpm',
      '60',
    ]);
    expect(key.key_id).toMatch(/^key_/);
    expect(key.api_key).toMatch(/^sk_pix_/);

    expect(await json(['keys', 'revoke', '--key', String(key.key_id)])).toEqual({
      key_id: key.key_id,
      revoked: true,
    });
  });

  it('ledger verify exits 1 and names an account whose cached balance drifted', async () => {
    const account = await json(['accounts', 'create', '--name', 'drift', '--credits', '3']);
    const db = new SQLite(path.join(dataDir, 'pixapi.sqlite'));
    db.prepare('update account_balances set balance = 1 where account_id = ?').run(
      account.account_id,
    );
    db.close();
    const result = await runCli(['ledger', 'verify', '--json'], env);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual({
      ok: false,
      mismatches: [
        {
          account_id: account.account_id,
          cached: { balance: 0.001, held: 0 },
          ledger: { balance: 3, held: 0 },
        },
      ],
    });
  });

  it('models list shows availability', async () => {
    const { data } = (await json(['models', 'list'])) as {
      data: Array<{ id: string; available: boolean }>;
    };
    const byId = new Map(data.map((m) => [m.id, m]));
    expect(byId.get('local-placeholder')?.available).toBe(true);
    expect(byId.get('gpt-image-1.5')?.available).toBe(false);
    expect(byId.has('gemini-3-pro-image-preview')).toBe(true);
  });

  it('models list shows the lifecycle of each model', async () => {
    const catalog = path.join(dataDir, 'lifecycle.yaml');
    const model = (id: string, lifecycle: string[]) => [
      `  - id: ${id}`,
      `    name: ${id}`,
      '    description: A test model.',
      '    owned_by: acme',
      '    capabilities: [text-to-image]',
      '    routes: [{ provider: local, model: local-placeholder }]',
      '    sizes: { auto: 512x512, list: [{ size: 512x512, tier: base }] }',
      '    qualities: [auto]',
      '    pricing: { rules: [{ credits: 1 }] }',
      ...lifecycle.map((l) => `    ${l}`),
    ];
    fs.writeFileSync(
      catalog,
      [
        'models:',
        ...model('old-one', [
          'deprecated_at: 2019-01-01',
          'shutdown_date: 2020-01-01',
          'replacement: new-one',
          'after_shutdown: redirect',
        ]),
        ...model('new-one', ['deprecated_at: 2020-01-01', 'shutdown_date: 2099-01-01']),
      ].join('\n'),
    );
    const result = await runCli(['models', 'list', '--json'], { ...env, PIXAPI_CATALOG: catalog });
    expect(result.code, result.stderr).toBe(0);
    const { data } = JSON.parse(result.stdout) as { data: Array<Record<string, unknown>> };
    const byId = new Map(data.map((m) => [m.id, m]));
    expect(byId.get('old-one')).toMatchObject({
      status: 'retired',
      shutdown_date: '2020-01-01',
      replacement: 'new-one',
      served_by: 'new-one',
      available: true,
    });
    expect(byId.get('new-one')).toMatchObject({
      status: 'deprecated',
      shutdown_date: '2099-01-01',
    });
    const human = await runCli(['models', 'list'], { ...env, PIXAPI_CATALOG: catalog });
    expect(human.stdout).toMatch(/old-one .* retired 2020-01-01 -> new-one \(redirected\)/);
    expect(human.stdout).toMatch(/new-one .* deprecated shuts down 2099-01-01/);
  });

  it('user errors exit 1 with one line on stderr', async () => {
    const cases = [
      ['accounts', 'create'],
      ['accounts', 'create', '--name', 'acme'],
      ['credits', 'grant', '--account', 'acc_nope', '--credits', '1'],
      ['credits', 'grant', '--account', 'acc_x', '--credits', '-1'],
      ['keys', 'revoke', '--key', 'key_nope'],
      ['frobnicate'],
      ['worker'],
      ['serve', '--no-worker'],
      ['models', 'list', '--bogus'],
    ];
    for (const args of cases) {
      const result = await runCli([...args, '--json'], env);
      expect(result.code, args.join(' ')).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
    }
  });

  it('a bad environment is refused with a message naming the variable', async () => {
    const result = await runCli(['models', 'list'], { ...env, PORT: 'eighty' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/PORT/);
  });
});
