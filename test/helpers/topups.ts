import { expect } from 'vitest';
import { startFakeStripe, type FakeStripe } from '../fakes/stripe/server.js';
import { api, startTestServer, type Dialect, type TestServer } from './server.js';

/** A server whose top-ups go to a fake Stripe on loopback (driven through the real SDK). */
export async function startTopupServer(
  dialect: Dialect,
): Promise<{ stripe: FakeStripe; server: TestServer }> {
  const stripe = await startFakeStripe();
  const server = await startTestServer({
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
  return { stripe, server };
}

/** Reads on the server `current()` returns; a getter because the server starts in beforeAll. */
export function topupTools(current: () => TestServer) {
  const balanceOf = async (accountId: string) =>
    (await current().services.ledger.balance(accountId)).balance / 1000;

  /** A Checkout Session for `body`, through the API as the dashboard starts it. */
  async function checkout(apiKey: string, body: Record<string, unknown> = { pack: '100' }) {
    const answer = await api<{ id: string; url: string }>(
      current().url,
      'POST',
      '/v1/billing/checkout',
      { key: apiKey, body },
    );
    expect(answer.status).toBe(200);
    return answer.body;
  }

  const ledgerRows = (accountId: string, kind: string) =>
    current()
      .services.db.kysely.selectFrom('ledger_entries')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('kind', '=', kind as never)
      .execute();

  return { balanceOf, checkout, ledgerRows };
}
