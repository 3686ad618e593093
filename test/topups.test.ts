import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeStripe } from './fakes/stripe/server.js';
import { postgresAvailable } from './helpers/postgres.js';
import { api, type Dialect, type TestServer } from './helpers/server.js';
import { startTopupServer, topupTools } from './helpers/topups.js';

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
      ({ stripe, server } = await startTopupServer(dialect));
    });
    afterAll(async () => {
      await server?.close();
      await stripe?.close();
    });

    const { balanceOf, checkout, ledgerRows } = topupTools(() => server);

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
