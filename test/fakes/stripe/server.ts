import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import Stripe from 'stripe';
import { readText, sendJson, sendText } from '../shared/http.js';
import { listenLocal } from '../shared/server.js';
import { decodeForm, type FormValue } from './form.js';

/** A Checkout Session as the fake keeps it, with the payment it becomes once paid. */
export interface FakeSession {
  id: string;
  status: 'open' | 'complete' | 'expired';
  paymentStatus: 'unpaid' | 'paid';
  amount: number;
  currency: string;
  productName: string;
  metadata: Record<string, string>;
  clientReferenceId: string | null;
  successUrl: string;
  cancelUrl: string;
  paymentIntent: string | null;
  charge: { id: string; amount: number; amountRefunded: number } | null;
  created: number;
}

export interface FakeStripe {
  /** `http://127.0.0.1:{port}`: STRIPE_API_BASE for the server under test. */
  origin: string;
  secretKey: string;
  webhookSecret: string;
  /** Where events go (the server's /v1/billing/stripe/webhook); set once it listens. */
  webhookUrl: string;
  sessions: Map<string, FakeSession>;
  /** `METHOD /path` of every API call the SDK made. */
  calls: string[];
  /** Pays a session as the hosted page does, delivering `checkout.session.completed`. */
  pay(sessionId: string): Promise<Response>;
  /** The signed-over body of an event, to deliver (again) with `deliver`. */
  event(type: string, object: unknown): string;
  /** Posts `payload` to the webhook with a Stripe-Signature made with `secret`. */
  deliver(payload: string, secret?: string): Promise<Response>;
  /** Refunds `amount` minor units of a paid session (all by default): `charge.refunded`. */
  refund(sessionId: string, amount?: number): Promise<Response>;
  /** Opens a dispute over a paid session's charge: `charge.dispute.created`. */
  dispute(sessionId: string, amount?: number): Promise<Response>;
  close(): Promise<void>;
}

const id = (prefix: string) => `${prefix}_test_${randomBytes(12).toString('hex')}`;
const str = (v: FormValue | undefined) => (typeof v === 'string' ? v : undefined);
const now = () => Math.floor(Date.now() / 1000);
const escape = (text: string) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

function stripeError(res: ServerResponse, status: number, message: string, param?: string) {
  sendJson(res, status, {
    error: { type: 'invalid_request_error', message, ...(param ? { param } : {}) },
  });
}

/**
 * A fake of the parts of Stripe the server uses, on loopback: the REST API the `stripe` SDK
 * calls (Checkout Sessions create and retrieve, with `payment_intent.latest_charge` expanded),
 * a hosted Checkout page whose Pay button marks the session paid, sends the signed
 * `checkout.session.completed` event to the webhook and redirects to the success URL, and
 * receipts. Events are signed by `stripe.webhooks.generateTestHeaderString`, Stripe's own
 * signing scheme.
 */
export async function startFakeStripe(): Promise<FakeStripe> {
  const sessions = new Map<string, FakeSession>();
  const calls: string[] = [];
  const secretKey = `sk_test_${randomBytes(16).toString('hex')}`;
  const webhookSecret = `whsec_${randomBytes(24).toString('base64')}`;
  const signer = new Stripe(secretKey);
  let origin = '';

  const chargeObject = (s: FakeSession) =>
    s.charge && {
      id: s.charge.id,
      object: 'charge',
      amount: s.charge.amount,
      amount_refunded: s.charge.amountRefunded,
      refunded: s.charge.amountRefunded >= s.charge.amount,
      currency: s.currency,
      paid: true,
      status: 'succeeded',
      payment_intent: s.paymentIntent,
      receipt_url: `${origin}/receipts/${s.charge.id}`,
      created: s.created,
      livemode: false,
    };

  const sessionObject = (s: FakeSession, expand: string[] = []) => ({
    id: s.id,
    object: 'checkout.session',
    mode: 'payment',
    status: s.status,
    payment_status: s.paymentStatus,
    amount_total: s.amount,
    currency: s.currency,
    client_reference_id: s.clientReferenceId,
    metadata: s.metadata,
    success_url: s.successUrl,
    cancel_url: s.cancelUrl,
    url: s.status === 'open' ? `${origin}/pay/${s.id}` : null,
    payment_intent:
      s.paymentIntent && expand.includes('payment_intent.latest_charge')
        ? {
            id: s.paymentIntent,
            object: 'payment_intent',
            amount: s.amount,
            currency: s.currency,
            status: 'succeeded',
            latest_charge: chargeObject(s),
          }
        : s.paymentIntent,
    created: s.created,
    livemode: false,
  });

  const createSession = (res: ServerResponse, form: Record<string, FormValue>) => {
    const items = form.line_items;
    const item = Array.isArray(items) ? (items[0] as Record<string, FormValue>) : undefined;
    const priceData = item?.price_data as Record<string, FormValue> | undefined;
    const amount = Number(str(priceData?.unit_amount));
    const currency = str(priceData?.currency);
    const successUrl = str(form.success_url);
    const cancelUrl = str(form.cancel_url);
    if (str(form.mode) !== 'payment') return stripeError(res, 400, 'mode must be payment', 'mode');
    if (!Number.isInteger(amount) || amount < 50 || !currency) {
      return stripeError(res, 400, 'line_items[0][price_data] is invalid', 'line_items');
    }
    if (!successUrl || !cancelUrl) return stripeError(res, 400, 'Missing success_url');
    const session: FakeSession = {
      id: id('cs'),
      status: 'open',
      paymentStatus: 'unpaid',
      amount: amount * Number(str(item?.quantity) ?? 1),
      currency,
      productName: str((priceData?.product_data as Record<string, FormValue>)?.name) ?? '',
      metadata: (form.metadata ?? {}) as Record<string, string>,
      clientReferenceId: str(form.client_reference_id) ?? null,
      successUrl,
      cancelUrl,
      paymentIntent: null,
      charge: null,
      created: now(),
    };
    sessions.set(session.id, session);
    sendJson(res, 200, sessionObject(session));
  };

  const fake: FakeStripe = {
    origin: '',
    secretKey,
    webhookSecret,
    webhookUrl: '',
    sessions,
    calls,
    event: (type, object) =>
      JSON.stringify(
        {
          id: id('evt'),
          object: 'event',
          api_version: '2025-01-01',
          created: now(),
          type,
          livemode: false,
          pending_webhooks: 1,
          request: { id: null, idempotency_key: null },
          data: { object },
        },
        null,
        2,
      ),
    deliver: (payload, secret = webhookSecret) =>
      fetch(fake.webhookUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'stripe-signature': signer.webhooks.generateTestHeaderString({ payload, secret }),
          'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
        },
        body: payload,
      }),
    pay: async (sessionId) => {
      const s = sessions.get(sessionId);
      if (!s) throw new Error(`no session ${sessionId}`);
      if (s.paymentStatus !== 'paid') {
        s.status = 'complete';
        s.paymentStatus = 'paid';
        s.paymentIntent = id('pi');
        s.charge = { id: id('ch'), amount: s.amount, amountRefunded: 0 };
      }
      return fake.deliver(fake.event('checkout.session.completed', sessionObject(s)));
    },
    refund: async (sessionId, amount) => {
      const s = sessions.get(sessionId);
      if (!s?.charge) throw new Error(`session ${sessionId} is not paid`);
      s.charge.amountRefunded = Math.min(
        s.charge.amount,
        s.charge.amountRefunded + (amount ?? s.charge.amount),
      );
      return fake.deliver(fake.event('charge.refunded', chargeObject(s)));
    },
    dispute: async (sessionId, amount) => {
      const s = sessions.get(sessionId);
      if (!s?.charge) throw new Error(`session ${sessionId} is not paid`);
      return fake.deliver(
        fake.event('charge.dispute.created', {
          id: id('dp'),
          object: 'dispute',
          amount: amount ?? s.charge.amount,
          currency: s.currency,
          charge: s.charge.id,
          payment_intent: s.paymentIntent,
          reason: 'fraudulent',
          status: 'needs_response',
          created: now(),
          livemode: false,
        }),
      );
    },
    close: async () => server.close(),
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const body = await readText(req);
    const page = /^\/pay\/(cs_test_\w+)$/.exec(url.pathname);
    if (page) {
      const s = sessions.get(page[1]!);
      if (!s) return sendText(res, 404, 'No such Checkout Session');
      if (req.method === 'POST') {
        const delivered = await fake.pay(s.id);
        if (!delivered.ok) return sendText(res, 502, `webhook answered ${delivered.status}`);
        const to = s.successUrl.replace('{CHECKOUT_SESSION_ID}', s.id);
        return sendText(res, 303, '', { location: to });
      }
      return sendText(res, 200, checkoutPage(s), { 'content-type': 'text/html; charset=utf-8' });
    }
    const receipt = /^\/receipts\/(ch_test_\w+)$/.exec(url.pathname);
    if (receipt) {
      return sendText(
        res,
        200,
        `<!doctype html><title>Receipt</title><p>Receipt ${receipt[1]}</p>`,
        {
          'content-type': 'text/html; charset=utf-8',
        },
      );
    }
    calls.push(`${req.method} ${url.pathname}`);
    if (req.headers.authorization !== `Bearer ${secretKey}`) {
      return sendJson(res, 401, {
        error: { type: 'invalid_request_error', message: 'Invalid API Key provided' },
      });
    }
    if (req.method === 'POST' && url.pathname === '/v1/checkout/sessions') {
      return createSession(res, decodeForm(body));
    }
    const get = /^\/v1\/checkout\/sessions\/(cs_test_\w+)$/.exec(url.pathname);
    if (req.method === 'GET' && get) {
      const s = sessions.get(get[1]!);
      if (!s) return stripeError(res, 404, `No such checkout.session: '${get[1]}'`, 'id');
      const expand = decodeForm(url.search.slice(1)).expand;
      return sendJson(
        res,
        200,
        sessionObject(s, Array.isArray(expand) ? (expand as string[]) : []),
      );
    }
    stripeError(res, 404, `Unrecognized request URL (${req.method}: ${url.pathname})`);
  };

  const server = await listenLocal(handle, (res, error) => {
    if (!res.headersSent) stripeError(res, 500, String(error));
  });
  origin = server.origin;
  fake.origin = origin;
  return fake;
}

/** The hosted payment page: what a person sees between the dashboard and the success URL. */
function checkoutPage(s: FakeSession): string {
  const price = `${(s.amount / 100).toFixed(2)} ${s.currency.toUpperCase()}`;
  const paid = s.paymentStatus === 'paid';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Checkout (test)</title>
<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:4rem auto;color:#1a1a1a}
button{background:#0a5cd8;color:#fff;border:0;padding:.75rem 1.5rem;border-radius:.375rem;font-size:1rem}
a{color:#0a4fb8}</style></head>
<body><main><h1>Pay ${escape(price)}</h1>
<p>${escape(s.productName)}</p>
${
  paid
    ? '<p>Already paid.</p>'
    : `<form method="post" action="/pay/${s.id}"><button type="submit">Pay ${escape(price)}</button></form>`
}
<p><a href="${escape(s.cancelUrl)}">Cancel and go back</a></p></main></body></html>`;
}
