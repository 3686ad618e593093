import type { Operation } from './operations.js';
import { errorSchema, listOf, type JsonSchema } from './schemas.js';

const bearer = [{ bearerAuth: [] }];
const error = (description: string): JsonSchema => ({ ...errorSchema, description });
const ok = (schema: JsonSchema, description: string) => ({ ...schema, description });
const common = { 400: error('Invalid request.'), 401: error('Missing or invalid API key.') };
const admin = {
  ...common,
  403: error('The key is not an admin key.'),
  404: error('No such account.'),
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

const balanceView: JsonSchema = {
  type: 'object',
  required: ['object', 'account_id', 'balance', 'held', 'available'],
  properties: {
    object: { const: 'account.balance' },
    account_id: { type: 'string' },
    balance: { type: 'number' },
    held: { type: 'number' },
    available: { type: 'number' },
  },
};

const entryView: JsonSchema = {
  type: 'object',
  required: ['id', 'object', 'type', 'credits', 'note', 'payment', 'created'],
  properties: {
    id: { type: 'string' },
    object: { const: 'billing.entry' },
    type: { enum: ['purchase', 'refund', 'dispute', 'grant', 'deduction', 'redemption'] },
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

const accountParam: JsonSchema = {
  type: 'object',
  required: ['accountId'],
  properties: { accountId: { type: 'string', description: 'acc_...' } },
};
const movementBody: JsonSchema = {
  type: 'object',
  required: ['credits'],
  properties: { credits, note: { type: 'string', maxLength: 500 } },
};

/** Top-ups, redeem codes, the billing history and the admin's credit tools. */
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
  'POST /v1/admin/accounts/:accountId/credits/grant': {
    summary: 'Grant credits',
    description: 'Admin keys only. One `grant` ledger row with the note.',
    tags: ['Admin'],
    operationId: 'grantCredits',
    security: bearer,
    params: accountParam,
    body: movementBody,
    response: { 200: ok(balanceView, 'The balance after.'), ...admin },
  },
  'POST /v1/admin/accounts/:accountId/credits/deduct': {
    summary: 'Deduct credits',
    description:
      'Admin keys only. One `deduction` ledger row; refused (409 `deduction_exceeds_balance`) beyond the available credits.',
    tags: ['Admin'],
    operationId: 'deductCredits',
    security: bearer,
    params: accountParam,
    body: movementBody,
    response: {
      200: ok(balanceView, 'The balance after.'),
      ...admin,
      409: error('More than available.'),
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
