import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  dashboardTools,
  dialects,
  generation,
  startDashboardServer,
  type Body,
  type SmtpSink,
} from './helpers/dashboard-api.js';
import { api, type TestServer } from './helpers/server.js';
import { eventually, linkToken, SessionClient } from './helpers/people.js';

describe.each(dialects)('dashboard members and admin on %s', (dialect) => {
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

  it('invites by mail: a viewer reads usage but cannot create keys or generate', async () => {
    const owner = new SessionClient(server.url);
    await owner.signUp(email('owner'));
    const invitee = email('viewer');
    const invited = await owner.call<Body>('POST', '/v1/members/invites', {
      body: { email: invitee, role: 'viewer' },
    });
    expect(invited.status).toBe(201);
    const mail = await eventually(() => sink.mails.find((m) => m.to === invitee));
    const token = linkToken(mail, 'invite');
    expect(invited.body.invite_url).toContain(encodeURIComponent(token));
    const preview = await new SessionClient(server.url).call<Body>('GET', `/v1/invites/${token}`);
    expect(preview.body).toMatchObject({ email: invitee, role: 'viewer' });

    const viewer = new SessionClient(server.url);
    const joined = await viewer.signUp(invitee, 'another good password', { invite_token: token });
    expect(joined.status).toBe(201);
    expect((joined.body as { account: Body }).account.role).toBe('viewer');
    // The invite is spent.
    expect((await new SessionClient(server.url).call('GET', `/v1/invites/${token}`)).status).toBe(
      400,
    );

    expect((await viewer.call('GET', '/v1/usage')).status).toBe(200);
    expect((await viewer.call('GET', '/v1/members')).status).toBe(200);
    const key = await viewer.call<{ error: Body }>('POST', '/v1/keys', { body: {} });
    expect(key.status).toBe(403);
    expect(key.body.error.code).toBe('permission_denied');
    expect((await viewer.call('POST', '/v1/images/generations', { body: generation })).status).toBe(
      403,
    );
    const account = await viewer.call<Body>('GET', '/v1/account');
    expect(account.body).not.toHaveProperty('webhook_secret');
    expect((await viewer.call('GET', '/v1/account/webhook-secret')).status).toBe(403);

    const members = await owner.call<{ data: Body[] }>('GET', '/v1/members');
    expect(members.body.data.map((m) => m.role)).toEqual(['owner', 'viewer']);
    // The last owner cannot leave the account ownerless.
    const ownerId = members.body.data[0]!.user_id as string;
    const demote = await owner.call<{ error: Body }>('PATCH', `/v1/members/${ownerId}`, {
      body: { role: 'viewer' },
    });
    expect(demote.status).toBe(409);
    expect(demote.body.error.code).toBe('last_owner');
    // Promoted to developer, the same person may create keys.
    const viewerId = members.body.data[1]!.user_id as string;
    await owner.call('PATCH', `/v1/members/${viewerId}`, { body: { role: 'developer' } });
    expect((await viewer.call('POST', '/v1/keys', { body: {} })).status).toBe(201);
    // Removed, their session loses the account at once.
    expect((await owner.call('DELETE', `/v1/members/${viewerId}`)).status).toBe(204);
    expect((await viewer.call('GET', '/v1/usage')).status).toBe(401);
  });

  it('a signed-in person accepts an invitation and switches between their accounts', async () => {
    const owner = new SessionClient(server.url);
    await owner.signUp(email('team'));
    const address = email('joiner');
    const joiner = new SessionClient(server.url);
    const own = (await joiner.signUp(address)).body as { account: { id: string } };
    const invite = await owner.call<Body>('POST', '/v1/members/invites', {
      body: { email: address, role: 'developer' },
    });
    const token = new URL(invite.body.invite_url as string).searchParams.get('token')!;
    const accepted = await joiner.call<{ account: Body; memberships: Body[] }>(
      'POST',
      '/v1/invites/accept',
      { body: { token } },
    );
    expect(accepted.status).toBe(200);
    expect(accepted.body.account.role).toBe('developer');
    expect(accepted.body.memberships).toHaveLength(2);
    const back = await joiner.call<{ account: Body }>('POST', '/v1/auth/session/account', {
      body: { account_id: own.account.id },
    });
    expect(back.body.account).toMatchObject({ id: own.account.id, role: 'owner' });
    const stranger = await joiner.call('POST', '/v1/auth/session/account', {
      body: { account_id: 'acc_nope' },
    });
    expect(stranger.status).toBe(404);
  });

  it('owners set the account name and a default webhook URL, checked like a task’s', async () => {
    const owner = new SessionClient(server.url);
    await owner.signUp(email('settings'));
    const renamed = await owner.call<Body>('PATCH', '/v1/account', { body: { name: 'Acme' } });
    expect(renamed.body).toMatchObject({ name: 'Acme', default_webhook_url: null });
    const privateTarget = await owner.call<{ error: Body }>('PATCH', '/v1/account', {
      body: { default_webhook_url: 'http://127.0.0.1:9/hook' },
    });
    expect(privateTarget.status).toBe(400);
    expect(privateTarget.body.error.code).toBe('webhook_url_rejected');
    const secret = await owner.call<Body>('GET', '/v1/account/webhook-secret');
    expect(secret.body.webhook_secret).toMatch(/^whsec_/);
  });

  it('a key never does more than its scope or its creator: read keys read, developer keys cannot invite', async () => {
    const owner = new SessionClient(server.url);
    await owner.signUp(email('scope'));
    const read = (await owner.call<Body>('POST', '/v1/keys', { body: { scope: 'read' } })).body
      .key as string;
    expect((await api(server.url, 'GET', '/v1/usage', { key: read })).status).toBe(200);
    const refused = await api(server.url, 'POST', '/v1/keys', { key: read, body: {} });
    expect(refused.status).toBe(403);
    expect((refused.body.error as Body).code).toBe('permission_denied');
    expect(
      (await api(server.url, 'POST', '/v1/images/generations', { key: read, body: generation }))
        .status,
    ).toBe(403);
    // Only site admins make admin keys.
    expect((await owner.call('POST', '/v1/keys', { body: { scope: 'admin' } })).status).toBe(403);

    const devEmail = email('dev');
    const invite = await owner.call<Body>('POST', '/v1/members/invites', {
      body: { email: devEmail, role: 'developer' },
    });
    const token = new URL(invite.body.invite_url as string).searchParams.get('token')!;
    const dev = new SessionClient(server.url);
    await dev.signUp(devEmail, 'a developer password', { invite_token: token });
    const devKey = (await dev.call<Body>('POST', '/v1/keys', { body: {} })).body.key as string;
    const invite2 = await api(server.url, 'POST', '/v1/members/invites', {
      key: devKey,
      body: { email: email('x'), role: 'owner' },
    });
    expect(invite2.status).toBe(403);
    expect(
      (await api(server.url, 'POST', '/v1/images/generations', { key: devKey, body: generation }))
        .status,
    ).toBe(200);
  });

  it('admin routes: 403 for everyone but site admins; a grant shows in the member’s balance', async () => {
    const member = new SessionClient(server.url);
    const signed = await member.signUp(email('member'));
    const accountId = (signed.body as { account: { id: string } }).account.id;
    const key = (await member.call<Body>('POST', '/v1/keys', { body: {} })).body.key as string;
    const adminGets = [
      '/v1/admin/accounts',
      `/v1/admin/accounts/${accountId}`,
      '/v1/admin/usage',
      '/v1/admin/usage/export.csv',
      '/v1/admin/routes',
      '/v1/admin/settings',
      `/v1/admin/accounts/${accountId}/limits`,
    ];
    for (const path of adminGets) {
      expect([path, (await member.call('GET', path)).status]).toEqual([path, 403]);
      expect([path, (await api(server.url, 'GET', path, { key })).status]).toEqual([path, 403]);
    }
    const selfGrant = await member.call('POST', `/v1/admin/accounts/${accountId}/credits`, {
      body: { amount: 100, note: 'me' },
    });
    expect(selfGrant.status).toBe(403);

    const admin = server.adminKey;
    const found = await api<{ data: Body[] }>(
      server.url,
      'GET',
      `/v1/admin/accounts?q=${encodeURIComponent('member-')}`,
      { key: admin },
    );
    expect(found.body.data.map((a) => a.id)).toContain(accountId);
    const grant = await api<Body>(server.url, 'POST', `/v1/admin/accounts/${accountId}/credits`, {
      key: admin,
      body: { amount: 5, note: 'welcome bonus' },
    });
    expect(grant.status).toBe(201);
    expect(grant.body).toMatchObject({ amount: 5, balance: 15 });
    expect((await member.call<Body>('GET', '/v1/account')).body.balance).toBe(15);
    const tooMuch = await api(server.url, 'POST', `/v1/admin/accounts/${accountId}/credits`, {
      key: admin,
      body: { amount: -100, note: 'oops' },
    });
    expect(tooMuch.status).toBe(409);
    expect(tooMuch.body).toMatchObject({ error: { code: 'deduction_exceeds_balance' } });
    await api(server.url, 'POST', `/v1/admin/accounts/${accountId}/credits`, {
      key: admin,
      body: { amount: -3, note: 'refund reversed' },
    });
    expect((await member.call<Body>('GET', '/v1/account')).body.balance).toBe(12);
    const notes = (await ledgerRows(accountId)).map((r) => [Number(r.amount), r.kind]);
    expect(notes).toEqual([
      [10_000, 'grant'],
      [5_000, 'grant'],
      [-3_000, 'deduction'],
    ]);

    // Suspended: reads still work, generating does not.
    await api(server.url, 'POST', `/v1/admin/accounts/${accountId}/suspend`, { key: admin });
    expect((await member.call('GET', '/v1/usage')).status).toBe(200);
    const blocked = await api(server.url, 'POST', '/v1/images/generations', {
      key,
      body: generation,
    });
    expect(blocked.status).toBe(403);
    expect((blocked.body.error as Body).code).toBe('account_suspended');
    await api(server.url, 'POST', `/v1/admin/accounts/${accountId}/unsuspend`, { key: admin });
    expect(
      (await api(server.url, 'POST', '/v1/images/generations', { key, body: generation })).status,
    ).toBe(200);
    const routes = await api<{ data: Body[] }>(server.url, 'GET', '/v1/admin/routes', {
      key: admin,
    });
    expect(routes.body.data.find((r) => r.provider === 'local')).toMatchObject({
      configured: true,
      breaker: 'closed',
    });
  });
});
