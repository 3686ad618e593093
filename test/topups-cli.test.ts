import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';

let env: Record<string, string>;
beforeAll(() => {
  env = { PIXAPI_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'pixapi-codes-')) };
});
afterAll(() => fs.rmSync(env.PIXAPI_DATA_DIR!, { recursive: true, force: true }));

async function json(args: string[]) {
  const result = await runCli([...args, '--json'], env);
  return { code: result.code, body: JSON.parse(result.stdout.trim()) as Record<string, unknown> };
}

describe('pixapi codes and credits deduct', () => {
  it('creates and lists codes, deducts with a note and refuses more than available', async () => {
    const created = await json([
      'codes',
      'create',
      '--credits',
      '50',
      '--uses',
      '3',
      '--expires',
      '2099-12-31',
      '--code',
      'launch-2099',
      '--note',
      'launch',
    ]);
    expect(created).toMatchObject({
      code: 0,
      body: { code: 'LAUNCH-2099', credits: 50, max_uses: 3, uses: 0, note: 'launch' },
    });
    expect(created.body.expires_at).toBe(Date.parse('2099-12-31') / 1000);
    const again = await json(['codes', 'create', '--credits', '5', '--code', 'LAUNCH-2099']);
    expect(again).toMatchObject({ code: 1, body: { error: { code: 'code_exists' } } });
    const list = await json(['codes', 'list']);
    expect(list.body.data).toEqual([expect.objectContaining({ code: 'LAUNCH-2099' })]);

    const account = await json(['accounts', 'create', '--name', 'buyer', '--credits', '10']);
    const id = account.body.account_id as string;
    const deducted = await json(['credits', 'deduct', '--account', id, '--credits', '4']);
    expect(deducted).toMatchObject({ code: 0, body: { balance: 6 } });
    const tooMuch = await json(['credits', 'deduct', '--account', id, '--credits', '7']);
    expect(tooMuch).toMatchObject({
      code: 1,
      body: { error: { code: 'deduction_exceeds_balance' } },
    });
  });
});
