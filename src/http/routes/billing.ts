import type { FastifyInstance } from 'fastify';
import {
  checkoutStatus,
  createCheckout,
  packsView,
  topupsNotConfigured,
} from '../../billing/checkout.js';
import { toCredits } from '../../credits.js';
import { billingHistory, type HistoryEntry } from '../../billing/history.js';
import { formatPrice } from '../../billing/packs.js';
import { invalidRequest, notFound } from '../../errors.js';
import type { Services } from '../../services.js';
import { principalOf } from '../auth.js';
import { parsePage } from '../pagination.js';
import type { KeyGuard } from '../plugins.js';
import { toCsv } from '../csv.js';

/** Where Stripe Checkout sends a person back: the dashboard of this server. */
export function dashboardBase(services: Pick<Services, 'publicUrl'>): string {
  return `${services.publicUrl()}/dashboard`;
}

function entryView(entry: HistoryEntry) {
  return {
    id: entry.id,
    object: 'billing.entry',
    type: entry.kind,
    credits: toCredits(entry.amount),
    note: entry.note,
    payment: entry.payment
      ? {
          id: entry.payment.id,
          amount: formatPrice(entry.payment.amount, entry.payment.currency),
          currency: entry.payment.currency,
          receipt_url: entry.payment.receiptUrl,
        }
      : null,
    created: Math.floor(entry.createdAt / 1000),
  };
}

const CSV_LIMIT = 10_000;

/** What billingRoutes uses of the services. */
export type BillingRouteDeps = Pick<Services, 'codes' | 'config' | 'db' | 'publicUrl' | 'stripe'>;

/** Packs, Checkout, redeem codes and the billing history of the key's account. */
export function billingRoutes(
  app: FastifyInstance,
  services: BillingRouteDeps,
  guard: KeyGuard,
): void {
  const settings = services.config.topups;

  app.get('/v1/billing/packs', { onRequest: guard }, async () => packsView(settings));

  app.post<{ Body: { pack?: unknown; credits?: unknown } | undefined }>(
    '/v1/billing/checkout',
    { onRequest: guard },
    async (request) => {
      const { accountId } = principalOf(request);
      if (!services.stripe) throw topupsNotConfigured();
      const body = request.body ?? {};
      const session = await createCheckout({
        stripe: services.stripe.client,
        db: services.db,
        settings,
        accountId,
        purchase: { pack: body.pack, credits: body.credits },
        returnBase: dashboardBase(services),
      });
      return {
        object: 'billing.checkout',
        id: session.id,
        url: session.url,
        credits: session.credits,
        amount: formatPrice(session.amount, session.currency),
        currency: session.currency,
      };
    },
  );

  // The dashboard's result page: Checkout sends the person back before or after the webhook.
  app.get<{ Params: { id: string } }>(
    '/v1/billing/checkout/:id',
    { onRequest: guard },
    async (request) => {
      const { accountId } = principalOf(request);
      const payment = await checkoutStatus(services.db, accountId, request.params.id);
      if (!payment) throw notFound('checkout_not_found', `No checkout ${request.params.id}.`, 'id');
      return {
        object: 'billing.checkout_status',
        id: payment.id,
        status: payment.status,
        credits: toCredits(payment.credits),
        credits_reversed: toCredits(payment.creditsReversed),
        amount: formatPrice(payment.amount, payment.currency),
        currency: payment.currency,
        receipt_url: payment.receiptUrl,
      };
    },
  );

  app.post<{ Body: { code?: unknown } | undefined }>(
    '/v1/billing/redeem',
    { onRequest: guard },
    async (request) => {
      const { accountId } = principalOf(request);
      const code = request.body?.code;
      if (typeof code !== 'string' || code.trim() === '') {
        throw invalidRequest('missing_code', "Give the 'code' to redeem.", 'code');
      }
      const result = await services.codes.redeem(accountId, code);
      return {
        object: 'billing.redemption',
        id: result.redemptionId,
        credits: toCredits(result.code.credits),
        balance: toCredits(result.balance.balance),
        available: toCredits(result.balance.available),
      };
    },
  );

  app.get<{ Querystring: Record<string, unknown> }>(
    '/v1/billing/history',
    { onRequest: guard },
    async (request) => {
      const { accountId } = principalOf(request);
      const { entries, hasMore } = await billingHistory(
        services.db,
        accountId,
        parsePage(request.query),
      );
      return {
        object: 'list',
        data: entries.map(entryView),
        has_more: hasMore,
        last_id: entries.at(-1)?.id ?? null,
      };
    },
  );

  app.get('/v1/billing/history.csv', { onRequest: guard }, async (request, reply) => {
    const { accountId } = principalOf(request);
    const { entries } = await billingHistory(services.db, accountId, { limit: CSV_LIMIT });
    const rows = entries.map((e) => [
      e.id,
      new Date(e.createdAt).toISOString(),
      e.kind,
      String(toCredits(e.amount)),
      e.note ?? '',
      e.payment ? formatPrice(e.payment.amount, e.payment.currency) : '',
      e.payment?.currency.toUpperCase() ?? '',
      e.payment?.receiptUrl ?? '',
    ]);
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="pixapi-billing.csv"')
      .send(
        toCsv(
          ['id', 'date', 'type', 'credits', 'note', 'payment', 'currency', 'receipt_url'],
          rows,
        ),
      );
  });
}
