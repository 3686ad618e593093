import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, spawnServer } from './helpers/cli.js';
import { SessionClient } from './helpers/people.js';

let dataDir: string;
let env: Record<string, string>;

beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pixapi-people-cli-'));
  env = { PIXAPI_DATA_DIR: dataDir, PIXAPI_SIGNUP: 'closed' };
});
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('pixapi admin set-password and reset-link', () => {
  it('the first-start admin signs in and sees the admin section; a printed reset link works', async () => {
    const short = await runCli(['admin', 'set-password', '--email', 'ops@example.test'], {
      ...env,
      PIXAPI_PASSWORD: 'short',
    });
    expect(short.code).toBe(1);
    const set = await runCli(['admin', 'set-password', '--email', 'ops@example.test', '--json'], {
      ...env,
      PIXAPI_PASSWORD: 'the operator password',
    });
    expect(set.code, set.stderr).toBe(0);
    expect(JSON.parse(set.stdout)).toMatchObject({ email: 'ops@example.test', site_admin: true });
    expect(set.stdout + set.stderr).not.toContain('the operator password');

    const link = await runCli(
      ['admin', 'reset-link', '--email', 'ops@example.test', '--json'],
      env,
    );
    expect(link.code, link.stderr).toBe(0);
    const resetUrl = new URL(JSON.parse(link.stdout).reset_url as string);
    expect(resetUrl.pathname).toBe('/reset-password');
    const unknown = await runCli(['admin', 'reset-link', '--email', 'nobody@example.test'], env);
    expect(unknown.code).toBe(1);

    const server = await spawnServer({ ...env, PORT: '0' });
    try {
      const admin = new SessionClient(server.url);
      const signedIn = await admin.signIn('ops@example.test', 'the operator password');
      expect(signedIn.status).toBe(200);
      expect(signedIn.body).toMatchObject({
        user: { site_admin: true },
        account: { role: 'owner' },
      });
      expect((await admin.call('GET', '/v1/admin/accounts')).status).toBe(200);
      expect((await admin.call('GET', '/v1/admin/settings')).body).toMatchObject({
        signup: 'closed',
      });

      const reset = await new SessionClient(server.url).call(
        'POST',
        '/v1/auth/password-reset/confirm',
        {
          body: { token: resetUrl.searchParams.get('token'), password: 'a new operator password' },
        },
      );
      expect(reset.status).toBe(200);
      expect(
        (await new SessionClient(server.url).signIn('ops@example.test', 'a new operator password'))
          .status,
      ).toBe(200);
    } finally {
      server.child.kill();
      await server.exited;
    }
  });
});
