import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  dashboardTools,
  dialects,
  generation,
  startDashboardServer,
  type Body,
  type SmtpSink,
} from './helpers/dashboard-api.js';
import { api, startTestServer, type TestServer } from './helpers/server.js';
import { eventually, linkToken, mailText, SessionClient } from './helpers/people.js';

describe.each(dialects)('dashboard API on %s', (dialect) => {
  let server: TestServer;
  let sink: SmtpSink;

  beforeAll(async () => {
    ({ server, sink } = await startDashboardServer(dialect));
  });
  afterAll(async () => {
    await server?.close();
    await sink?.close();
  });

  const { email, ledgerRows } = dashboardTools(() => server);

  it('sign-up creates an owned account with the starter credits, granted once', async () => {
    const person = new SessionClient(server.url);
    const address = email('ada');
    const signedUp = await person.signUp(address);
    expect(signedUp.status).toBe(201);
    const session = signedUp.body as { account: { id: string; role: string }; csrf_token: string };
    expect(session.account.role).toBe('owner');
    expect(person.cookies.get('pixapi_session')).toBeTruthy();
    const cookie = signedUp.headers.getSetCookie().find((c) => c.startsWith('pixapi_session='))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/Secure/i);

    const account = await person.call<Body>('GET', '/v1/account');
    expect(account.status).toBe(200);
    expect(account.body).toMatchObject({ balance: 10, available: 10, role: 'owner' });

    const again = await new SessionClient(server.url).signUp(address.toUpperCase());
    expect(again.status).toBe(409);
    expect((again.body as { error: Body }).error.code).toBe('email_taken');
    const rows = await ledgerRows(session.account.id);
    expect(rows.map((r) => [r.kind, Number(r.amount), r.note])).toEqual([
      ['grant', 10_000, 'signup credits'],
    ]);

    // Signing out ends the session: the same cookie no longer works.
    const saved = new Map(person.cookies);
    expect((await person.call('POST', '/v1/auth/sign-out')).status).toBe(204);
    person.cookies = saved;
    expect((await person.call('GET', '/v1/auth/session')).status).toBe(401);
    // Signing in again works, with any case of the address; a wrong password does not.
    const wrong = await new SessionClient(server.url).signIn(address, 'not the password');
    expect(wrong.status).toBe(401);
    expect((wrong.body as { error: Body }).error.code).toBe('invalid_credentials');
    expect((await new SessionClient(server.url).signIn(address.toUpperCase())).status).toBe(200);
  });

  it('an expired session is refused and swept', async () => {
    const person = new SessionClient(server.url);
    await person.signUp(email('expired'));
    const k = server.services.db.kysely;
    const userId = (await person.call<{ user: Body }>('GET', '/v1/auth/session')).body.user
      .id as string;
    await k.updateTable('sessions').set({ expires_at: 1 }).where('user_id', '=', userId).execute();
    expect((await person.call('GET', '/v1/account')).status).toBe(401);
    expect(await server.services.people.sessions.deleteExpired(Date.now())).toBeGreaterThan(0);
    const left = await k
      .selectFrom('sessions')
      .select('id')
      .where('user_id', '=', userId)
      .execute();
    expect(left).toEqual([]);
  });

  it('a cookie-authenticated write without the CSRF token, or from another site, is refused', async () => {
    const person = new SessionClient(server.url);
    await person.signUp(email('csrf'));
    const refused = await person.call('POST', '/v1/keys', { body: { name: 'x' }, csrf: false });
    expect(refused.status).toBe(403);
    expect((refused.body as { error: Body }).error.code).toBe('csrf_failed');
    const wrongToken = await person.call('POST', '/v1/keys', {
      body: { name: 'x' },
      csrf: false,
      headers: { 'x-pixapi-csrf': 'a'.repeat(32) },
    });
    expect(wrongToken.status).toBe(403);
    const crossSite = await person.call('POST', '/v1/keys', {
      body: { name: 'x' },
      headers: { origin: 'http://127.0.0.2:9' },
    });
    expect(crossSite.status).toBe(403);
    expect((crossSite.body as { error: Body }).error.code).toBe('csrf_failed');
    expect((await person.call<Body>('GET', '/v1/keys')).body.data).toEqual([]);
    // Reads need no token; the same write with it passes.
    expect((await person.call('POST', '/v1/keys', { body: { name: 'x' } })).status).toBe(201);
  });

  it('keys: created with the secret once, listed without it, revoked keys get 401', async () => {
    const person = new SessionClient(server.url);
    await person.signUp(email('keys'));
    const created = await person.call<Body>('POST', '/v1/keys', {
      body: { name: 'ci', limits: { rpm: 30 } },
    });
    expect(created.status).toBe(201);
    const secret = created.body.key as string;
    expect(secret).toMatch(/^sk_pix_/);
    expect(created.body).toMatchObject({ name: 'ci', scope: 'full', status: 'active' });
    expect((created.body.limits as Body).rpm).toBe(30);

    const image = await api(server.url, 'POST', '/v1/images/generations', {
      key: secret,
      body: generation,
    });
    expect(image.status).toBe(200);
    const list = await person.call<{ data: Body[] }>('GET', '/v1/keys');
    expect(list.body.data).toHaveLength(1);
    expect(list.body.data[0]).not.toHaveProperty('key');
    expect(list.body.data[0]!.last_used_at).toEqual(expect.any(Number));

    const revoked = await person.call<Body>('DELETE', `/v1/keys/${created.body.id as string}`);
    expect(revoked.body.status).toBe('revoked');
    const after = await api(server.url, 'POST', '/v1/images/generations', {
      key: secret,
      body: generation,
    });
    expect(after.status).toBe(401);
    expect((after.body.error as Body).code).toBe('invalid_api_key');
  });

  it('the playground generates with the session, charged once to the account', async () => {
    const person = new SessionClient(server.url);
    await person.signUp(email('play'));
    const image = await person.call<Body>('POST', '/v1/images/generations', { body: generation });
    expect(image.status).toBe(200);
    const account = await person.call<Body>('GET', '/v1/account');
    expect(account.body.balance).toBeLessThan(10);
    expect(account.body.spend_today).toBe(10 - (account.body.balance as number));
    const usage = await person.call<{ data: Body[] }>('GET', '/v1/usage');
    expect(usage.body.data).toHaveLength(1);
    expect(usage.body.data[0]).toMatchObject({ key_id: null, status: 'succeeded', images: 1 });
    const detail = await person.call<Body>('GET', `/v1/usage/${usage.body.data[0]!.id as string}`);
    const images = detail.body.images as Array<{ url: string }>;
    expect(images).toHaveLength(1);
    expect((await fetch(images[0]!.url)).status).toBe(200);
  });

  it('usage filters, CSV export of the filtered rows and the daily series', async () => {
    const person = new SessionClient(server.url);
    await person.signUp(email('csv'));
    const key = (await person.call<Body>('POST', '/v1/keys', { body: { name: 'csv' } })).body
      .key as string;
    for (const prompt of ['one', 'two, "quoted"']) {
      const ok = await api(server.url, 'POST', '/v1/images/generations', {
        key,
        body: { ...generation, prompt },
      });
      expect(ok.status).toBe(200);
    }
    const failed = await api(server.url, 'POST', '/v1/images/generations', {
      key,
      body: { ...generation, n: 1000 },
    });
    expect(failed.status).toBe(400);

    const all = await person.call<{ data: Body[] }>('GET', '/v1/usage?limit=1');
    expect(all.body.data).toHaveLength(1);
    expect(all.body).toMatchObject({ has_more: true });
    const next = await person.call<{ data: Body[]; has_more: boolean }>(
      'GET',
      `/v1/usage?limit=1&after=${all.body.data[0]!.id as string}`,
    );
    expect(next.body.data).toHaveLength(1);
    expect(next.body.has_more).toBe(false);
    const byRequest = await person.call<{ data: Body[] }>(
      'GET',
      `/v1/usage?request_id=${all.body.data[0]!.request_id as string}`,
    );
    expect(byRequest.body.data.map((r) => r.id)).toEqual([all.body.data[0]!.id]);

    const csv = await person.call<string>('GET', '/v1/usage/export.csv?status=succeeded');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = csv.body.trim().split('\r\n');
    expect(lines[0]).toBe(
      'id,created_at,request_id,task_id,key_id,model,requested_model,endpoint,status,error_code,images,credits,latency_ms,attempts',
    );
    expect(lines).toHaveLength(3);
    for (const line of lines.slice(1)) {
      const cells = line.split(',');
      expect(cells[0]).toMatch(/^usage_/);
      expect(cells[1]).toMatch(/^\d{4}-\d\d-\d\dT/);
      expect(cells.slice(5, 9)).toEqual([
        'local-placeholder',
        'local-placeholder',
        'images.generations',
        'succeeded',
      ]);
      expect(cells[10]).toBe('1');
    }
    const daily = await person.call<{ data: Body[] }>('GET', '/v1/usage/daily');
    expect(daily.body.data).toEqual([
      {
        date: new Date().toISOString().slice(0, 10),
        model: 'local-placeholder',
        requests: 2,
        images: 2,
        credits: expect.any(Number),
      },
    ]);
  });
  it('password reset by mail ends old sessions and sets the new password', async () => {
    const person = new SessionClient(server.url);
    const address = email('reset');
    await person.signUp(address);
    const asked = await new SessionClient(server.url).call('POST', '/v1/auth/password-reset', {
      body: { email: address },
    });
    expect(asked.status).toBe(202);
    const mail = await eventually(() =>
      sink.mails.find((m) => m.to === address && mailText(m).includes('/reset-password?')),
    );
    const token = linkToken(mail, 'reset-password');
    const reset = await new SessionClient(server.url).call(
      'POST',
      '/v1/auth/password-reset/confirm',
      { body: { token, password: 'a brand new password' } },
    );
    expect(reset.status).toBe(200);
    expect((await person.call('GET', '/v1/auth/session')).status).toBe(401);
    expect((await new SessionClient(server.url).signIn(address)).status).toBe(401);
    expect(
      (await new SessionClient(server.url).signIn(address, 'a brand new password')).status,
    ).toBe(200);
    const reused = await new SessionClient(server.url).call(
      'POST',
      '/v1/auth/password-reset/confirm',
      { body: { token, password: 'yet another password' } },
    );
    expect(reused.status).toBe(400);
  });
});

describe('sign-up modes and sign-in throttling', () => {
  it('closed: nobody signs up', async () => {
    const server = await startTestServer({ env: { PIXAPI_SIGNUP: 'closed' } });
    try {
      const res = await new SessionClient(server.url).signUp('a@example.test');
      expect(res.status).toBe(403);
      expect((res.body as { error: Body }).error.code).toBe('signup_closed');
      expect((await api(server.url, 'GET', '/v1/auth/config')).body.signup).toBe('closed');
    } finally {
      await server.close();
    }
  });

  it('invite: only with an invitation; PIXAPI_SIGNUP_CREDITS sets the starter credits', async () => {
    const server = await startTestServer({
      env: { PIXAPI_SIGNUP: 'invite', PIXAPI_SIGNUP_CREDITS: '2.5' },
    });
    try {
      const refused = await new SessionClient(server.url).signUp('b@example.test');
      expect(refused.status).toBe(403);
      expect((refused.body as { error: Body }).error.code).toBe('invite_required');
      // An operator's account invites; the invitee joins it (no new account, no credits).
      const { accountId, apiKey } = await server.account(0);
      const invite = await api<Body>(server.url, 'POST', '/v1/members/invites', {
        key: apiKey,
        body: { email: 'b@example.test', role: 'owner' },
      });
      const token = new URL(invite.body.invite_url as string).searchParams.get('token')!;
      const wrongEmail = await new SessionClient(server.url).signUp('c@example.test', 'password1', {
        invite_token: token,
      });
      expect(wrongEmail.status).toBe(400);
      const joined = await new SessionClient(server.url).signUp('b@example.test', 'password1', {
        invite_token: token,
      });
      expect(joined.status).toBe(201);
      expect((joined.body as { account: Body }).account.id).toBe(accountId);
    } finally {
      await server.close();
    }
    const open = await startTestServer({ env: { PIXAPI_SIGNUP_CREDITS: '2.5' } });
    try {
      const person = new SessionClient(open.url);
      await person.signUp('d@example.test');
      expect((await person.call<Body>('GET', '/v1/account')).body.balance).toBe(2.5);
    } finally {
      await open.close();
    }
  });

  it('passwords never reach the logs', async () => {
    const lines: string[] = [];
    const log = pino({ level: 'trace' }, { write: (line: string) => lines.push(line) });
    const server = await startTestServer({ log });
    try {
      const person = new SessionClient(server.url);
      await person.signUp('f@example.test', 'secret-signup-password');
      await person.signIn('f@example.test', 'secret-wrong-password');
      await person.signIn('f@example.test', 'secret-signup-password');
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.join('\n')).not.toMatch(/secret-(signup|wrong)-password/);
    } finally {
      await server.close();
    }
  });

  it('sign-in is rate-limited after 10 failures for an email and address', async () => {
    const server = await startTestServer();
    try {
      const person = new SessionClient(server.url);
      await person.signUp('e@example.test');
      for (let i = 0; i < 10; i++) {
        expect((await person.signIn('e@example.test', `wrong-${i}`)).status).toBe(401);
      }
      const limited = await person.signIn('e@example.test');
      expect(limited.status).toBe(429);
      expect((limited.body as { error: Body }).error.code).toBe('too_many_attempts');
      expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    } finally {
      await server.close();
    }
  });
});
