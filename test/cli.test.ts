import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../src/cli/command-table.js';
import { runCli, spawnServer } from './helpers/cli.js';
import { api } from './helpers/server.js';
import { eventually } from './helpers/tasks.js';

let dataDir: string;
let env: Record<string, string>;

beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pixapi-cli-'));
  env = { PIXAPI_DATA_DIR: dataDir };
});
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

async function json(args: string[], cliEnv = env) {
  const result = await runCli([...args, '--json'], cliEnv);
  expect(result.code, result.stderr).toBe(0);
  const lines = result.stdout.trim().split('\n');
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0]!) as Record<string, unknown>;
}

describe('bin/pixapi --json', () => {
  it('migrate applies the migrations once, saying which database and that it is new', async () => {
    const first = await runCli(['migrate', '--json'], env);
    expect(JSON.parse(first.stdout).applied).toEqual(
      expect.arrayContaining(['001-initial', '006-people-and-access']),
    );
    const file = path.join(dataDir, 'pixapi.sqlite');
    expect(first.stderr).toContain(`using SQLite database ${file}`);
    expect(first.stderr).toMatch(/warning: no database there yet, creating a new one/);

    const second = await runCli(['migrate', '--json'], env);
    expect(JSON.parse(second.stdout)).toEqual({ applied: [] });
    expect(second.stderr).toContain(`using SQLite database ${file}`);
    expect(second.stderr).not.toMatch(/warning/);
  });

  it('accounts create, credits grant, keys create, list and revoke, with key ids', async () => {
    const account = await json(['accounts', 'create', '--name', 'acme', '--credits', '2.5']);
    expect(account).toMatchObject({ balance: 2.5 });
    expect(account.account_id).toMatch(/^acc_/);
    expect(account.key_id).toMatch(/^key_/);
    expect(account.api_key).toMatch(/^sk_pix_[0-9A-Za-z]{28}$/);
    const accountId = String(account.account_id);

    const grant = await json([
      'credits',
      'grant',
      '--account',
      accountId,
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
      accountId,
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
    const { data: keys } = (await json(['keys', 'list', '--account', accountId])) as {
      data: Array<Record<string, unknown>>;
    };
    expect(keys.map((k) => [k.key_id, k.revoked_at === null])).toEqual([
      [account.key_id, true],
      [key.key_id, false],
    ]);
    expect(keys[1]).toMatchObject({ name: 'ci', rpm: 60 });
    expect(String(key.api_key).startsWith(String(keys[1]!.prefix))).toBe(true);
    expect(JSON.stringify(keys)).not.toContain(String(key.api_key));
  });

  it('accounts list and show', async () => {
    const created = await json(['accounts', 'create', '--name', 'listed', '--credits', '3']);
    const { data } = (await json(['accounts', 'list'])) as {
      data: Array<Record<string, unknown>>;
    };
    expect(data).toContainEqual(
      expect.objectContaining({ account_id: created.account_id, name: 'listed', balance: 3 }),
    );
    const shown = await json(['accounts', 'show', '--account', String(created.account_id)]);
    expect(shown).toMatchObject({
      account_id: created.account_id,
      name: 'listed',
      is_admin: false,
      balance: 3,
      held: 0,
      keys: [expect.objectContaining({ key_id: created.key_id, revoked_at: null })],
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

  // Fourteen CLI processes start at once: a generous timeout for a loaded machine.
  it('user errors: exit 1, one line on stderr, one {"error"} object on stdout', async () => {
    const cases: Array<[string[], RegExp, string]> = [
      [['accounts', 'create'], /missing --name/, 'invalid_usage'],
      [['accounts', 'create', '--name', 'acme'], /exists/, 'invalid_usage'],
      [
        ['accounts', 'create', '--name', 'x', '--credits', '-5'],
        /--credits cannot be negative/,
        'invalid_usage',
      ],
      [
        ['credits', 'grant', '--account', 'acc_nope', '--credits', '1'],
        /no account acc_nope/,
        'not_found',
      ],
      [
        ['credits', 'grant', '--account', 'acc_x', '--credits', '-1'],
        /cannot be negative/,
        'invalid_usage',
      ],
      [
        ['credits', 'grant', '--account', 'acc_x', '--credits', 'ten'],
        /number of credits/,
        'invalid_usage',
      ],
      [['keys', 'revoke', '--key', 'key_nope'], /no key key_nope/, 'not_found'],
      [['keys', 'list', '--account', 'acc_nope'], /no account/, 'not_found'],
      [['accounts', 'show', '--account', 'acc_nope'], /no account/, 'not_found'],
      [['frobnicate'], /unknown command "frobnicate"/, 'invalid_usage'],
      [['accounts'], /needs a subcommand: create, list, show/, 'invalid_usage'],
      [['worker'], /needs DATABASE_URL/, 'invalid_usage'],
      [['serve', '--no-worker'], /needs DATABASE_URL/, 'invalid_usage'],
      [['models', 'list', '--bogus'], /bogus/, 'invalid_usage'],
    ];
    const results = await Promise.all(cases.map(([args]) => runCli([...args, '--json'], env)));
    for (const [index, [args, message, code]] of cases.entries()) {
      const result = results[index]!;
      const what = args.join(' ');
      expect(result.code, what).toBe(1);
      const errors = result.stderr
        .trim()
        .split('\n')
        .filter((l) => !/using|warning/.test(l));
      expect(errors, what).toHaveLength(1);
      expect(errors[0], what).toMatch(message);
      const lines = result.stdout.trim().split('\n');
      expect(lines, what).toHaveLength(1);
      const body = JSON.parse(lines[0]!) as { error: { message: string; code: string } };
      expect(body, what).toEqual({ error: { message: expect.stringMatching(message), code } });
    }
  }, 120_000);

  it('a bad environment is refused with a message naming the variable', async () => {
    const result = await runCli(['models', 'list'], { ...env, PORT: 'eighty' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/PORT/);
    const asJson = await runCli(['models', 'list', '--json'], { ...env, PORT: 'eighty' });
    expect(JSON.parse(asJson.stdout).error.code).toBe('invalid_config');
  });
});

describe('help', () => {
  it('pixapi --help, -h, help and no arguments list every command (exit 0)', async () => {
    for (const args of [['--help'], ['-h'], ['help'], []]) {
      const result = await runCli(args, env);
      expect(result.code, args.join(' ')).toBe(0);
      for (const name of Object.keys(COMMANDS)) expect(result.stdout).toContain(name);
      expect(result.stdout).toMatch(/example: pixapi /);
    }
  });

  // About 90 CLI processes start at once: on 2 busy CPUs that alone can pass the default 30 s.
  it(
    'every command explains every option and gives an example, however asked',
    { timeout: 90_000 },
    async () => {
      const asked = Object.entries(COMMANDS).flatMap(([name, command]) => {
        const words = name.split(' ');
        return [
          [...words, '--help'],
          [...words, '-h'],
          ['help', ...words],
        ].map((args) => ({ name, command, args }));
      });
      const results = await Promise.all(asked.map(({ args }) => runCli(args, env)));
      for (const [index, { name, command, args }] of asked.entries()) {
        const result = results[index]!;
        const what = args.join(' ');
        expect(result.code, what).toBe(0);
        expect(result.stdout, what).toContain(`usage: pixapi ${name}`);
        for (const option of Object.keys(command.options)) {
          expect(result.stdout, what).toContain(`--${option}`);
        }
        expect(result.stdout, what).toContain('--json');
        expect(result.stdout, what).toContain(`example: ${command.example}`);
      }
    },
  );
});

describe('admin-key rotate', () => {
  it('prints a new admin key and revokes the lost one', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pixapi-admin-'));
    const serverEnv = { PORT: '0', PIXAPI_DATA_DIR: dir };
    try {
      const first = await spawnServer(serverEnv);
      // stderr and stdout are separate pipes: the key may arrive after the listening line.
      const lost = await eventually(
        async () => /Admin API key: (sk_pix_\w+)/.exec(first.stderr())?.[1],
      );
      first.child.kill('SIGTERM');
      await first.exited;

      const rotated = await json(['admin-key', 'rotate'], serverEnv);
      expect(rotated.api_key).toMatch(/^sk_pix_[0-9A-Za-z]{28}$/);
      expect(rotated.key_id).toMatch(/^key_/);
      expect(rotated.revoked).toHaveLength(1);

      const second = await spawnServer(serverEnv);
      try {
        const old = await api(second.url, 'GET', '/v1/account', { key: lost });
        expect(old.status).toBe(401);
        const renewed = await api(second.url, 'GET', '/v1/account', {
          key: String(rotated.api_key),
        });
        expect(renewed.status).toBe(200);
        expect(renewed.body).toMatchObject({ name: 'admin' });
      } finally {
        second.child.kill('SIGTERM');
        await second.exited;
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('.env', () => {
  it('is loaded from the working directory; the real environment wins', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pixapi-dotenv-'));
    try {
      const fromFile = path.join(dir, 'data-from-dotenv');
      fs.writeFileSync(
        path.join(dir, '.env'),
        `PIXAPI_DATA_DIR=${fromFile}\nPORT=not-a-port\nPIXAPI_LOG_LEVEL=warn\n`,
      );
      const result = await runCli(['migrate', '--json'], { PORT: '9000' }, { cwd: dir });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toContain(
        `using SQLite database ${path.join(fromFile, 'pixapi.sqlite')}`,
      );
      expect(fs.existsSync(path.join(fromFile, 'pixapi.sqlite'))).toBe(true);

      // Without the real PORT, the file's invalid one is read and refused.
      const refused = await runCli(['migrate'], {}, { cwd: dir });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/PORT/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
