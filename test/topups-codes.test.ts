import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeStripe } from './fakes/stripe/server.js';
import { SessionClient } from './helpers/people.js';
import { postgresAvailable } from './helpers/postgres.js';
import { api, startTestServer, type Dialect, type TestServer } from './helpers/server.js';
import { startTopupServer, topupTools } from './helpers/topups.js';

/**
 * Issue 15: credits that come without a payment (an admin's grant or deduction, a redeemed code)
 * are one ledger row each and never go beyond what the rules allow, on both databases.
 */
for (const dialect of ['sqlite', 'postgres'] as Dialect[]) {
  describe.skipIf(dialect === 'postgres' && !postgresAvailable)(
    `admin credits and codes on ${dialect}`,
    () => {
      let stripe: FakeStripe;
      let server: TestServer;

      beforeAll(async () => {
        ({ stripe, server } = await startTopupServer(dialect));
      });
      afterAll(async () => {
        await server?.close();
        await stripe?.close();
      });

      const { balanceOf, ledgerRows } = topupTools(() => server);

      it('admin grant and deduct: one row each with the note; never beyond the balance', async () => {
        const { apiKey, accountId } = await server.account(10);
        const path = `/v1/admin/accounts/${accountId}/credits`;
        const deducted = await api(server.url, 'POST', path, {
          key: server.adminKey,
          body: { amount: -2.5, note: 'correction' },
        });
        expect(deducted.status).toBe(201);
        expect(deducted.body).toMatchObject({ amount: -2.5, balance: 7.5, available: 7.5 });
        const tooMuch = await api(server.url, 'POST', path, {
          key: server.adminKey,
          body: { amount: -8, note: 'too much' },
        });
        expect(tooMuch.status).toBe(409);
        expect(tooMuch.body).toMatchObject({ error: { code: 'deduction_exceeds_balance' } });
        // Held credits are not available: a deduction may not take them either.
        await server.services.ledger.hold({
          accountId,
          amount: 5000,
          reference: 'req_test',
          ttlMs: 60_000,
        });
        const intoHeld = await api(server.url, 'POST', path, {
          key: server.adminKey,
          body: { amount: -3, note: 'into the hold' },
        });
        expect(intoHeld.status).toBe(409);
        const notAdmin = await api(server.url, 'POST', path, {
          key: apiKey,
          body: { amount: 1, note: 'me' },
        });
        expect(notAdmin.status).toBe(403);
        const unknown = await api(server.url, 'POST', '/v1/admin/accounts/acc_nope/credits', {
          key: server.adminKey,
          body: { amount: 1, note: 'nobody' },
        });
        expect(unknown.status).toBe(404);
        expect(await ledgerRows(accountId, 'deduction')).toMatchObject([
          { amount: -2500, note: expect.stringMatching(/^correction \(by /) },
        ]);
        expect(await balanceOf(accountId)).toBe(7.5);
        for (const gone of ['grant', 'deduct']) {
          const answer = await api(server.url, 'POST', `${path}/${gone}`, {
            key: server.adminKey,
            body: { credits: 1 },
          });
          expect(answer.status).toBe(404);
        }
      });

      it('a code with one use left, redeemed by 20 parallel requests, succeeds once', async () => {
        const created = await api<{ code: string }>(server.url, 'POST', '/v1/admin/codes', {
          key: server.adminKey,
          body: { credits: 25, max_uses: 3, note: 'launch' },
        });
        expect(created.status).toBe(201);
        const { code } = created.body;
        expect(code).toMatch(/^PIX-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
        for (let i = 0; i < 2; i++) {
          const { apiKey } = await server.account(0);
          const first = await api(server.url, 'POST', '/v1/billing/redeem', {
            key: apiKey,
            body: { code: code.toLowerCase() },
          });
          expect(first.body).toMatchObject({ credits: 25, balance: 25 });
          const again = await api(server.url, 'POST', '/v1/billing/redeem', {
            key: apiKey,
            body: { code },
          });
          expect(again.body).toMatchObject({ error: { code: 'code_already_redeemed' } });
        }
        const racers = await Promise.all(Array.from({ length: 20 }, () => server.account(0)));
        const answers = await Promise.all(
          racers.map(({ apiKey }) =>
            api(server.url, 'POST', '/v1/billing/redeem', { key: apiKey, body: { code } }),
          ),
        );
        expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
        expect(answers.filter((a) => a.status === 409)).toHaveLength(19);
        const balances = await Promise.all(racers.map((r) => balanceOf(r.accountId)));
        expect(balances.filter((b) => b === 25)).toHaveLength(1);
        expect(balances.filter((b) => b === 0)).toHaveLength(19);
        const codes = await api<{ data: Array<{ code: string; uses: number }> }>(
          server.url,
          'GET',
          '/v1/admin/codes',
          { key: server.adminKey },
        );
        expect(codes.body.data.find((c) => c.code === code)).toMatchObject({ uses: 3 });
      });

      it('an expired or unknown code is refused and adds nothing', async () => {
        const { apiKey, accountId } = await server.account(0);
        const created = await api<{ code: string }>(server.url, 'POST', '/v1/admin/codes', {
          key: server.adminKey,
          body: {
            credits: 10,
            code: 'spring-sale',
            expires_at: new Date(Date.now() - 1000).toISOString(),
          },
        });
        expect(created.body.code).toBe('SPRING-SALE');
        const expired = await api(server.url, 'POST', '/v1/billing/redeem', {
          key: apiKey,
          body: { code: 'Spring-Sale' },
        });
        expect(expired.status).toBe(410);
        expect(expired.body).toMatchObject({ error: { code: 'code_expired' } });
        const unknown = await api(server.url, 'POST', '/v1/billing/redeem', {
          key: apiKey,
          body: { code: 'PIX-NOPE-NOPE-NOPE' },
        });
        expect(unknown.status).toBe(404);
        expect(await balanceOf(accountId)).toBe(0);
        expect(await ledgerRows(accountId, 'redemption')).toHaveLength(0);
      });

      it('the dashboard redeems and checks out with the session cookie and its CSRF token', async () => {
        const person = new SessionClient(server.url);
        const signedUp = await person.signUp(`redeem-${dialect}-${Date.now()}@example.test`);
        expect(signedUp.status).toBe(201);
        const accountId = (signedUp.body as { account: { id: string } }).account.id;
        const before = await balanceOf(accountId);
        const created = await api<{ code: string }>(server.url, 'POST', '/v1/admin/codes', {
          key: server.adminKey,
          body: { credits: 4 },
        });

        // A cookie alone is what a cross-site form would send: refused, nothing redeemed.
        const forged = await person.call('POST', '/v1/billing/redeem', {
          body: { code: created.body.code },
          csrf: false,
        });
        expect(forged.status).toBe(403);
        expect(forged.body).toMatchObject({ error: { code: 'csrf_failed' } });
        expect(await balanceOf(accountId)).toBe(before);

        const redeemed = await person.call('POST', '/v1/billing/redeem', {
          body: { code: created.body.code },
        });
        expect(redeemed.status).toBe(200);
        expect(redeemed.body).toMatchObject({ credits: 4, balance: before + 4 });
        expect(await ledgerRows(accountId, 'redemption')).toHaveLength(1);

        const session = await person.call<{ url: string }>('POST', '/v1/billing/checkout', {
          body: { pack: '100' },
        });
        expect(session.status).toBe(200);
        expect(session.body.url).toMatch(new RegExp(`^${stripe.origin}/pay/`));
        const history = await person.call<{ data: Array<{ type: string }> }>(
          'GET',
          '/v1/billing/history',
        );
        expect(history.body.data.map((e) => e.type)).toContain('redemption');
      });
    },
  );
}

describe('without Stripe keys', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { PIXAPI_CREDIT_PACKS: '100:5.00' } });
  });
  afterAll(async () => server?.close());

  it('packs say top-ups are not configured; checkout and the webhook answer a clear error', async () => {
    const { apiKey, accountId } = await server.account(0);
    const packs = await api(server.url, 'GET', '/v1/billing/packs', { key: apiKey });
    expect(packs.body).toMatchObject({
      configured: false,
      message: expect.stringMatching(/not configured.*redeem a code.*administrator/i),
    });
    const checkout = await api(server.url, 'POST', '/v1/billing/checkout', {
      key: apiKey,
      body: { pack: '100' },
    });
    expect(checkout.status).toBe(503);
    expect(checkout.body).toMatchObject({
      error: { code: 'topups_not_configured', message: expect.stringMatching(/Redeem a code/) },
    });
    expect(checkout.headers.get('x-should-retry')).toBe('false');
    const webhook = await fetch(`${server.url}/v1/billing/stripe/webhook`, {
      method: 'POST',
      body: '{}',
    });
    expect(webhook.status).toBe(503);
    // Codes still work.
    const { code } = (
      await api<{ code: string }>(server.url, 'POST', '/v1/admin/codes', {
        key: server.adminKey,
        body: { credits: 3 },
      })
    ).body;
    const redeemed = await api(server.url, 'POST', '/v1/billing/redeem', {
      key: apiKey,
      body: { code },
    });
    expect(redeemed.body).toMatchObject({ credits: 3, balance: 3 });
    expect((await server.services.ledger.balance(accountId)).balance).toBe(3000);
  });
});
