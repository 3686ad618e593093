import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeStripe, type FakeStripe } from './fakes/stripe/server.js';
import { SessionClient } from './helpers/people.js';
import { postgresAvailable } from './helpers/postgres.js';
import { api, startTestServer, type Dialect, type TestServer } from './helpers/server.js';

/**
 * Issue 15: credits bought with Stripe Checkout (a fake Stripe on loopback, driven through the
 * real `stripe` SDK and signed events) are granted exactly once, and refunds and disputes take
 * them back, on both databases.
 */
for (const dialect of ['sqlite', 'postgres'] as Dialect[]) {
  describe.skipIf(dialect === 'postgres' && !postgresAvailable)(`top-ups on ${dialect}`, () => {
    let stripe: FakeStripe;
    let server: TestServer;

    beforeAll(async () => {
      stripe = await startFakeStripe();
      server = await startTestServer({
        dialect,
        env: {
          STRIPE_SECRET_KEY: stripe.secretKey,
          STRIPE_WEBHOOK_SECRET: stripe.webhookSecret,
          STRIPE_API_BASE: stripe.origin,
          PIXAPI_CREDIT_PACKS: '100:5.00,1000:45.00',
          PIXAPI_CREDIT_CUSTOM_MIN: '50',
          PIXAPI_CREDIT_UNIT_PRICE: '0.06',
        },
      });
      stripe.webhookUrl = `${server.url}/v1/billing/stripe/webhook`;
    });
    afterAll(async () => {
      await server?.close();
      await stripe?.close();
    });

    const balanceOf = async (accountId: string) =>
      (await server.services.ledger.balance(accountId)).balance / 1000;

    /** A Checkout Session for `body`, through the API as the dashboard starts it. */
    async function checkout(apiKey: string, body: Record<string, unknown> = { pack: '100' }) {
      const answer = await api<{ id: string; url: string }>(
        server.url,
        'POST',
        '/v1/billing/checkout',
        { key: apiKey, body },
      );
      expect(answer.status).toBe(200);
      return answer.body;
    }

    const ledgerRows = (accountId: string, kind: string) =>
      server.services.db.kysely
        .selectFrom('ledger_entries')
        .selectAll()
        .where('account_id', '=', accountId)
        .where('kind', '=', kind as never)
        .execute();

    it('lists the packs and the custom amount', async () => {
      const { apiKey } = await server.account(0);
      const packs = await api(server.url, 'GET', '/v1/billing/packs', { key: apiKey });
      expect(packs.body).toEqual({
        object: 'billing.packs',
        configured: true,
        currency: 'usd',
        packs: [
          { id: '100', credits: 100, amount: 500, price: '5.00' },
          { id: '1000', credits: 1000, amount: 4500, price: '45.00' },
        ],
        custom: { min_credits: 50, max_credits: 1_000_000, unit_price: '0.06' },
        message: null,
      });
    });

    it('a paid session grants its credits once, through the hosted page', async () => {
      const { apiKey, accountId } = await server.account(0);
      const session = await checkout(apiKey);
      expect(session.url).toBe(`${stripe.origin}/pay/${session.id}`);
      expect(stripe.sessions.get(session.id)).toMatchObject({
        amount: 500,
        currency: 'usd',
        metadata: { pixapi_account_id: accountId, pixapi_credits: '100' },
        successUrl: `${server.services.publicUrl()}/dashboard/billing/result?session_id={CHECKOUT_SESSION_ID}`,
      });
      const page = await fetch(session.url);
      expect(await page.text()).toContain('Pay 5.00 USD');
      expect(await balanceOf(accountId)).toBe(0);

      const paid = await fetch(session.url, { method: 'POST', redirect: 'manual' });
      expect(paid.status).toBe(303);
      expect(paid.headers.get('location')).toBe(
        `${server.services.publicUrl()}/dashboard/billing/result?session_id=${session.id}`,
      );
      expect(await balanceOf(accountId)).toBe(100);
      const outcome = await api(server.url, 'GET', `/v1/billing/checkout/${session.id}`, {
        key: apiKey,
      });
      expect(outcome.body).toMatchObject({ status: 'paid', credits: 100, amount: '5.00' });
      const other = await server.account(0);
      const foreign = await api(server.url, 'GET', `/v1/billing/checkout/${session.id}`, {
        key: other.apiKey,
      });
      expect(foreign.status).toBe(404);
      expect(stripe.calls).toContain(`GET /v1/checkout/sessions/${session.id}`);
      const [row] = await ledgerRows(accountId, 'purchase');
      expect(row).toMatchObject({ external_ref: session.id, amount: 100_000 });
    });

    it('the same event twice, 20 times in parallel, and new events for the session grant once', async () => {
      const { apiKey, accountId } = await server.account(0);
      const session = await checkout(apiKey, { pack: '1000' });
      expect((await stripe.pay(session.id)).status).toBe(200);
      const s = stripe.sessions.get(session.id)!;
      const payload = stripe.event('checkout.session.completed', {
        id: s.id,
        object: 'checkout.session',
        payment_status: 'paid',
      });
      const twice = [await stripe.deliver(payload), await stripe.deliver(payload)];
      expect(twice.map((r) => r.status)).toEqual([200, 200]);
      const parallel = await Promise.all(Array.from({ length: 20 }, () => stripe.deliver(payload)));
      expect(parallel.map((r) => r.status)).toEqual(Array(20).fill(200));
      // Stripe may also send distinct events (own ids) for one session.
      const fresh = await Promise.all(Array.from({ length: 5 }, () => stripe.pay(session.id)));
      expect(fresh.every((r) => r.ok)).toBe(true);
      expect(await balanceOf(accountId)).toBe(1000);
      expect(await ledgerRows(accountId, 'purchase')).toHaveLength(1);
      expect(await server.services.ledger.verify()).toEqual([]);
    });

    it('a bad signature is 400 and grants nothing', async () => {
      const { apiKey, accountId } = await server.account(0);
      const session = await checkout(apiKey);
      const s = stripe.sessions.get(session.id)!;
      s.status = 'complete';
      s.paymentStatus = 'paid';
      const payload = stripe.event('checkout.session.completed', { id: s.id });
      const wrongSecret = await stripe.deliver(payload, 'whsec_not_the_secret');
      expect(wrongSecret.status).toBe(400);
      expect(await wrongSecret.json()).toMatchObject({ error: { code: 'invalid_signature' } });
      const unsigned = await fetch(stripe.webhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: payload,
      });
      expect(unsigned.status).toBe(400);
      // A signature of other bytes: the body was changed on the way.
      const header = (await import('stripe')).default.webhooks.generateTestHeaderString({
        payload,
        secret: stripe.webhookSecret,
      });
      const tampered = await fetch(stripe.webhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'stripe-signature': header },
        body: payload.replace(/\n\s*/g, ''),
      });
      expect(tampered.status).toBe(400);
      expect(await balanceOf(accountId)).toBe(0);
      expect(await ledgerRows(accountId, 'purchase')).toHaveLength(0);
    });

    it('a refund deducts its share of the credits, once per refund', async () => {
      const { apiKey, accountId } = await server.account(0);
      const session = await checkout(apiKey, { credits: 200 });
      await stripe.pay(session.id);
      expect(stripe.sessions.get(session.id)!.amount).toBe(1200);
      expect(await balanceOf(accountId)).toBe(200);

      expect((await stripe.refund(session.id, 300)).status).toBe(200);
      expect(await balanceOf(accountId)).toBe(150);
      // Redelivered: nothing more.
      const s = stripe.sessions.get(session.id)!;
      const again = stripe.event('charge.refunded', {
        id: s.charge!.id,
        object: 'charge',
        amount: 1200,
        amount_refunded: 300,
        currency: 'usd',
        payment_intent: s.paymentIntent,
      });
      await Promise.all(Array.from({ length: 10 }, () => stripe.deliver(again)));
      expect(await balanceOf(accountId)).toBe(150);
      // The rest of the payment: the remaining 150 credits.
      await stripe.refund(session.id);
      expect(await balanceOf(accountId)).toBe(0);
      expect((await ledgerRows(accountId, 'refund')).map((r) => Number(r.amount))).toEqual([
        -50_000, -150_000,
      ]);
      expect(await server.services.ledger.verify()).toEqual([]);
    });

    it('refund states and a dispute racing on one payment never take back more than it bought', async () => {
      const { apiKey, accountId } = await server.account(0);
      const session = await checkout(apiKey, { pack: '1000' });
      await stripe.pay(session.id);
      const s = stripe.sessions.get(session.id)!;
      const refunded = (amount: number) =>
        stripe.event('charge.refunded', {
          id: s.charge!.id,
          object: 'charge',
          amount: 4500,
          amount_refunded: amount,
          currency: 'usd',
          payment_intent: s.paymentIntent,
        });
      const dispute = stripe.event('charge.dispute.created', {
        id: 'dp_test_race',
        object: 'dispute',
        amount: 4500,
        currency: 'usd',
        charge: s.charge!.id,
        payment_intent: s.paymentIntent,
      });
      const events = [900, 1800, 2700, 4500].flatMap((a) => [refunded(a), refunded(a)]);
      const answers = await Promise.all(
        [...events, dispute, dispute].map((e) => stripe.deliver(e)),
      );
      expect(answers.every((a) => a.ok)).toBe(true);
      expect(await balanceOf(accountId)).toBe(0);
      const rows = [
        ...(await ledgerRows(accountId, 'refund')),
        ...(await ledgerRows(accountId, 'dispute')),
      ];
      expect(rows.reduce((sum, r) => sum + Number(r.amount), 0)).toBe(-1_000_000);
      expect(await server.services.ledger.verify()).toEqual([]);
    });

    it('a dispute deducts even below zero, and then new requests are refused with 402', async () => {
      const { apiKey, accountId } = await server.account(0);
      const session = await checkout(apiKey);
      await stripe.pay(session.id);
      // 80 of the 100 credits are spent.
      const hold = await server.services.ledger.hold({
        accountId,
        amount: 80_000,
        reference: 'spent',
        ttlMs: 60_000,
      });
      await server.services.ledger.capture(hold.id, 80_000);
      expect(await balanceOf(accountId)).toBe(20);

      const disputed = await stripe.dispute(session.id);
      expect(disputed.status).toBe(200);
      expect(await balanceOf(accountId)).toBe(-80);
      const account = await api(server.url, 'GET', '/v1/account', { key: apiKey });
      expect(account.body).toMatchObject({ balance: -80, available: -80 });

      const refused = await api(server.url, 'POST', '/v1/images/generations', {
        key: apiKey,
        body: { model: 'local-placeholder', prompt: 'a fox', size: '32x32' },
      });
      expect(refused.status).toBe(402);
      expect(refused.body).toMatchObject({ error: { code: 'insufficient_credits' } });
      // A refund after the dispute cannot take back more than the payment bought.
      await stripe.refund(session.id);
      expect(await balanceOf(accountId)).toBe(-80);
      expect(await ledgerRows(accountId, 'dispute')).toHaveLength(1);
    });

    it('history lists purchases with receipts, refunds and grants; CSV too', async () => {
      const { apiKey, accountId } = await server.account(0);
      const session = await checkout(apiKey);
      await stripe.pay(session.id);
      await stripe.refund(session.id, 100);
      const granted = await api(server.url, 'POST', `/v1/admin/accounts/${accountId}/credits`, {
        key: server.adminKey,
        body: { amount: 5, note: 'goodwill' },
      });
      expect(granted.body).toMatchObject({ balance: 85 });

      const history = await api<{ data: Array<Record<string, unknown>> }>(
        server.url,
        'GET',
        '/v1/billing/history',
        { key: apiKey },
      );
      expect(history.status).toBe(200);
      const receipt = `${stripe.origin}/receipts/${stripe.sessions.get(session.id)!.charge!.id}`;
      expect(history.body.data.map((e) => [e.type, e.credits])).toEqual([
        ['grant', 5],
        ['refund', -20],
        ['purchase', 100],
      ]);
      expect(history.body.data[0]).toMatchObject({
        note: expect.stringMatching(/^goodwill \(by /),
        payment: null,
      });
      expect(history.body.data[2]).toMatchObject({
        payment: { id: session.id, amount: '5.00', currency: 'usd', receipt_url: receipt },
      });
      expect((await fetch(receipt)).status).toBe(200);

      const csv = await fetch(`${server.url}/v1/billing/history.csv`, {
        headers: { authorization: `Bearer ${apiKey}` },
      });
      expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
      const lines = (await csv.text()).trim().split('\r\n');
      expect(lines[0]).toBe('id,date,type,credits,note,payment,currency,receipt_url');
      expect(lines).toHaveLength(4);
      expect(lines[3]).toMatch(new RegExp(`,purchase,100,.*,5\\.00,USD,${receipt}$`));
    });

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

    it('checkout refuses unknown packs and custom amounts below the minimum', async () => {
      const { apiKey } = await server.account(0);
      const unknown = await api(server.url, 'POST', '/v1/billing/checkout', {
        key: apiKey,
        body: { pack: '7' },
      });
      expect(unknown.body).toMatchObject({ error: { code: 'unknown_pack', param: 'pack' } });
      const small = await api(server.url, 'POST', '/v1/billing/checkout', {
        key: apiKey,
        body: { credits: 10 },
      });
      expect(small.status).toBe(400);
      expect(small.body).toMatchObject({ error: { param: 'credits' } });
    });
  });
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
