import type { Operation } from './operations.js';
import { errorSchema, listOf, type JsonSchema } from './schemas.js';

const bearer = [{ bearerAuth: [] }];
const error = (description: string): JsonSchema => ({ ...errorSchema, description });
const ok = (schema: JsonSchema, description: string) => ({ ...schema, description });
const common = { 400: error('Invalid request.'), 401: error('Missing or invalid API key.') };
const admin = {
  ...common,
  403: error('The key is not an admin key.'),
};
const credits: JsonSchema = {
  type: ['number', 'string'],
  description: 'Credits, at most three decimals.',
};

const packsView: JsonSchema = {
  type: 'object',
  required: ['object', 'configured', 'currency', 'packs', 'custom', 'message'],
  properties: {
    object: { const: 'billing.packs' },
    configured: { type: 'boolean', description: 'False: the server has no Stripe keys.' },
    currency: { type: 'string', description: 'ISO 4217, lower case.' },
    packs: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'credits', 'amount', 'price'],
        properties: {
          id: { type: 'string' },
          credits: { type: 'integer' },
          amount: { type: 'integer', description: 'Minor units (cents).' },
          price: { type: 'string', description: 'Decimal, e.g. `5.00`.' },
        },
      },
    },
    custom: {
      type: ['object', 'null'],
      properties: {
        min_credits: { type: 'integer' },
        max_credits: { type: 'integer' },
        unit_price: { type: 'string' },
      },
    },
    message: { type: ['string', 'null'] },
  },
};

const entryView: JsonSchema = {
  type: 'object',
  required: ['id', 'object', 'type', 'credits', 'note', 'payment', 'created'],
  properties: {
    id: { type: 'string' },
    object: { const: 'billing.entry' },
    type: {
      enum: ['purchase', 'refund', 'dispute', 'grant', 'deduction', 'adjustment', 'redemption'],
    },
    credits: { type: 'number', description: 'Signed: negative takes credits away.' },
    note: { type: ['string', 'null'] },
    payment: {
      type: ['object', 'null'],
      properties: {
        id: { type: 'string', description: 'The Stripe Checkout Session.' },
        amount: { type: 'string' },
        currency: { type: 'string' },
        receipt_url: { type: ['string', 'null'], description: 'Stripe’s receipt.' },
      },
    },
    created: { type: 'integer' },
  },
};

const codeView: JsonSchema = {
  type: 'object',
  required: ['id', 'object', 'code', 'credits', 'max_uses', 'uses', 'expires_at'],
  properties: {
    id: { type: 'string' },
    object: { const: 'redeem_code' },
    code: { type: 'string' },
    credits: { type: 'number' },
    max_uses: { type: 'integer' },
    uses: { type: 'integer' },
    expires_at: { type: ['integer', 'null'] },
    note: { type: ['string', 'null'] },
    created: { type: 'integer' },
  },
};

/** Top-ups, redeem codes and the billing history (admins grant and deduct in dashboard-operations.ts). */
export const BILLING_OPERATIONS: Record<string, Operation> = {
  'GET /v1/billing/packs': {
    summary: 'List credit packs',
    description:
      'The packs for sale (`PIXAPI_CREDIT_PACKS`) and the custom amount if allowed. `configured` false: top-ups are not set up; `message` says how else to get credits.',
    tags: ['Billing'],
    operationId: 'listCreditPacks',
    security: bearer,
    response: { 200: ok(packsView, 'Packs and prices.'), 401: common[401] },
  },
  'POST /v1/billing/checkout': {
    summary: 'Start a Stripe Checkout',
    description:
      'Creates a Stripe Checkout Session for a pack (`pack`, its id) or a custom number of `credits`; send the person to `url`. Credits are added when Stripe reports the payment.',
    tags: ['Billing'],
    operationId: 'createCheckout',
    security: bearer,
    body: {
      type: 'object',
      properties: { pack: { type: 'string' }, credits: { type: 'integer' } },
    },
    response: {
      200: ok(
        {
          type: 'object',
          required: ['object', 'id', 'url', 'credits', 'amount', 'currency'],
          properties: {
            object: { const: 'billing.checkout' },
            id: { type: 'string' },
            url: { type: 'string' },
            credits: { type: 'integer' },
            amount: { type: 'string' },
            currency: { type: 'string' },
          },
        },
        'The Checkout Session.',
      ),
      ...common,
      502: error('Stripe did not answer as expected.'),
      503: error('Top-ups are not configured (`topups_not_configured`).'),
    },
  },
  'GET /v1/billing/checkout/:id': {
    summary: 'Get a checkout’s outcome',
    description:
      'What became of a Checkout Session of this account: `open` until Stripe reports the payment, then `paid` (credits added) or `expired`.',
    tags: ['Billing'],
    operationId: 'getCheckout',
    security: bearer,
    params: {
      type: 'object',
      required: ['id'],
      properties: { id: { type: 'string', description: 'cs_...' } },
    },
    response: {
      200: ok(
        {
          type: 'object',
          required: ['object', 'id', 'status', 'credits', 'amount', 'currency', 'receipt_url'],
          properties: {
            object: { const: 'billing.checkout_status' },
            id: { type: 'string' },
            status: { enum: ['open', 'paid', 'expired'] },
            credits: { type: 'number' },
            credits_reversed: { type: 'number', description: 'Taken back by refunds/disputes.' },
            amount: { type: 'string' },
            currency: { type: 'string' },
            receipt_url: { type: ['string', 'null'] },
          },
        },
        'The checkout.',
      ),
      ...common,
      404: error('No such checkout in this account.'),
    },
  },
  'POST /v1/billing/redeem': {
    summary: 'Redeem a code',
    tags: ['Billing'],
    operationId: 'redeemCode',
    security: bearer,
    body: { type: 'object', required: ['code'], properties: { code: { type: 'string' } } },
    response: {
      200: ok(
        {
          type: 'object',
          required: ['object', 'id', 'credits', 'balance', 'available'],
          properties: {
            object: { const: 'billing.redemption' },
            id: { type: 'string' },
            credits: { type: 'number' },
            balance: { type: 'number' },
            available: { type: 'number' },
          },
        },
        'The credits added and the balance after.',
      ),
      ...common,
      404: error('No such code.'),
      409: error('Used up, or already redeemed by this account.'),
      410: error('Expired.'),
    },
  },
  'GET /v1/billing/history': {
    summary: 'Billing history',
    description:
      'Purchases (with Stripe’s receipt), refunds, disputes, grants, deductions and redemptions, newest first. Request costs are in GET /v1/usage.',
    tags: ['Billing'],
    operationId: 'listBillingHistory',
    security: bearer,
    querystring: {
      type: 'object',
      properties: {
        limit: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
        after: { type: 'string' },
      },
    },
    response: { 200: ok(listOf(entryView), 'Newest first.'), ...common },
  },
  'GET /v1/billing/history.csv': {
    summary: 'Billing history as CSV',
    tags: ['Billing'],
    operationId: 'exportBillingHistory',
    security: bearer,
    response: {
      200: { description: 'text/csv, newest first.', type: 'string' },
      401: common[401],
    },
  },
  'POST /v1/billing/stripe/webhook': {
    summary: 'Stripe webhook',
    description:
      'For Stripe only: `checkout.session.completed`, `checkout.session.async_payment_succeeded`, `checkout.session.expired`, `charge.refunded`, `charge.dispute.created`, verified by the `Stripe-Signature` header. Each grants or deducts once however often it is delivered.',
    tags: ['Billing'],
    operationId: 'stripeWebhook',
    response: {
      200: ok(
        {
          type: 'object',
          required: ['received', 'applied'],
          properties: { received: { const: true }, applied: { type: 'boolean' } },
        },
        'Received.',
      ),
      400: error('Bad signature (`invalid_signature`).'),
      503: error('Top-ups are not configured.'),
    },
  },
  'POST /v1/admin/codes': {
    summary: 'Create a redeem code',
    description:
      'Admin keys only. Worth `credits` per redemption, `max_uses` accounts (default 1), until `expires_at` (unix seconds or ISO 8601; none by default). A random code unless `code` is given.',
    tags: ['Admin'],
    operationId: 'createRedeemCode',
    security: bearer,
    body: {
      type: 'object',
      required: ['credits'],
      properties: {
        credits,
        max_uses: { type: 'integer', minimum: 1 },
        expires_at: { type: ['string', 'integer', 'null'] },
        note: { type: 'string' },
        code: { type: 'string' },
      },
    },
    response: {
      201: ok(codeView, 'The code.'),
      ...admin,
      409: error('The code exists.'),
    },
  },
  'GET /v1/admin/codes': {
    summary: 'List redeem codes',
    description: 'Admin keys only. Newest first, with their uses.',
    tags: ['Admin'],
    operationId: 'listRedeemCodes',
    security: bearer,
    response: {
      200: ok(
        {
          type: 'object',
          required: ['object', 'data'],
          properties: { object: { const: 'list' }, data: { type: 'array', items: codeView } },
        },
        'Every code.',
      ),
      ...admin,
    },
  },
};
