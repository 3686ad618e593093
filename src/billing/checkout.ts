import type Stripe from 'stripe';
import type { TopupSettings } from '../config.js';
import type { Db } from '../db/connection.js';
import { invalidRequest, PixapiError } from '../errors.js';
import { customPrice, formatPrice, type CreditPack } from './packs.js';
import { MILLI_PER_CREDIT } from './credits.js';

export function topupsNotConfigured() {
  return new PixapiError({
    code: 'topups_not_configured',
    message:
      'Top-ups are not configured on this server (no Stripe keys). Redeem a code or ask the administrator for credits.',
  });
}

export function stripeUnavailable(cause: unknown) {
  return new PixapiError({
    code: 'payment_provider_error',
    message: 'The payment provider did not answer as expected; try again in a moment.',
    cause,
  });
}

/** What the client asked to buy: a configured pack or, when allowed, a custom count. */
export interface Purchase {
  pack?: unknown;
  credits?: unknown;
}

/** The packs and custom amount as `GET /v1/billing/packs` shows them. */
export function packsView(settings: TopupSettings) {
  const { currency } = settings;
  const pack = (p: CreditPack) => ({
    id: String(p.credits),
    credits: p.credits,
    amount: p.amount,
    price: formatPrice(p.amount, currency),
  });
  const configured = settings.stripe !== undefined;
  return {
    object: 'billing.packs',
    configured,
    currency,
    packs: settings.packs.map(pack),
    custom: settings.custom
      ? {
          min_credits: settings.custom.minCredits,
          max_credits: settings.custom.maxCredits,
          unit_price: formatUnitPrice(settings.custom.unitPriceE4, currency),
        }
      : null,
    message: configured
      ? null
      : 'Top-ups are not configured on this server. Redeem a code, or ask the administrator for credits.',
  };
}

function formatUnitPrice(unitPriceE4: number, currency: string): string {
  const minor = unitPriceE4 / 10_000;
  return formatPrice(minor, currency).replace(/0+$/, '').replace(/\.$/, '') || '0';
}

/** The credits and price of a purchase, or 400 naming the field at fault. */
export function pricePurchase(
  settings: TopupSettings,
  purchase: Purchase,
): { credits: number; amount: number } {
  if (purchase.pack !== undefined) {
    const pack = settings.packs.find((p) => String(p.credits) === String(purchase.pack));
    if (!pack) {
      throw invalidRequest(
        'unknown_pack',
        `No pack '${String(purchase.pack)}'; see GET /v1/billing/packs.`,
        'pack',
      );
    }
    return pack;
  }
  const custom = settings.custom;
  if (purchase.credits === undefined) {
    throw invalidRequest('missing_pack', "Give 'pack' (a pack id) or 'credits'.", 'pack');
  }
  if (!custom) {
    throw invalidRequest('custom_amount_disabled', 'This server sells packs only.', 'credits');
  }
  const credits = purchase.credits;
  if (
    typeof credits !== 'number' ||
    !Number.isInteger(credits) ||
    credits < custom.minCredits ||
    credits > custom.maxCredits
  ) {
    throw invalidRequest(
      'invalid_value',
      `'credits' must be a whole number from ${custom.minCredits} to ${custom.maxCredits}.`,
      'credits',
    );
  }
  return { credits, amount: customPrice(custom, credits) };
}

/**
 * Creates a Stripe Checkout Session for a purchase and records it as an open payment, so that
 * the webhook grants what was priced here (not what the event's metadata says).
 */
export async function createCheckout(options: {
  stripe: Stripe;
  db: Db;
  settings: TopupSettings;
  accountId: string;
  purchase: Purchase;
  /** The dashboard's base URL, where Checkout sends the person back. */
  returnBase: string;
}): Promise<{ id: string; url: string; credits: number; amount: number; currency: string }> {
  const { settings, accountId } = options;
  const { credits, amount } = pricePurchase(settings, options.purchase);
  let session: Stripe.Checkout.Session;
  try {
    session = await options.stripe.checkout.sessions.create({
      mode: 'payment',
      client_reference_id: accountId,
      line_items: [
        {
          quantity: 1,
          price_data: {
            currency: settings.currency,
            unit_amount: amount,
            product_data: { name: `${credits} Pixapi credits` },
          },
        },
      ],
      metadata: { pixapi_account_id: accountId, pixapi_credits: String(credits) },
      success_url: `${options.returnBase}/billing/result?session_id={CHECKOUT_SESSION_ID}`,
      cancel_url: `${options.returnBase}/credits?canceled=1`,
    });
  } catch (error) {
    throw stripeUnavailable(error);
  }
  if (!session.url) throw stripeUnavailable(new Error('Checkout Session without a url'));
  await options.db.kysely
    .insertInto('payments')
    .values({
      id: session.id,
      account_id: accountId,
      credits: credits * MILLI_PER_CREDIT,
      amount,
      currency: settings.currency,
      status: 'open',
      payment_intent: null,
      charge_id: null,
      receipt_url: null,
      created_at: Date.now(),
      paid_at: null,
    })
    .execute();
  return { id: session.id, url: session.url, credits, amount, currency: settings.currency };
}
