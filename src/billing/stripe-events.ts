import type { Logger } from 'pino';
import type Stripe from 'stripe';
import type { Db } from '../db/connection.js';
import type { PaymentsTable } from '../db/schema.js';
import { PixapiError } from '../errors.js';
import { MILLI_PER_CREDIT } from './credits.js';
import type { Ledger } from './ledger.js';
import { formatPrice } from './packs.js';

export function invalidSignature() {
  return new PixapiError({
    code: 'invalid_signature',
    message: 'The Stripe-Signature header does not match the body.',
  });
}

type Payment = Pick<
  PaymentsTable,
  'id' | 'account_id' | 'credits' | 'amount' | 'currency' | 'charge_id'
> & { credits_reversed: number };

/** A reversal lost a race with another one on the same payment: read again and retry. */
class ReversalRace extends Error {}

/**
 * Turns verified Stripe events into ledger rows, each exactly once: a paid Checkout Session
 * grants its credits keyed by the session id; a refund or dispute takes back the credits its
 * share of the payment bought, keyed by its own id.
 */
export class StripeEvents {
  constructor(
    private readonly deps: {
      stripe: Stripe;
      webhookSecret: string;
      db: Db;
      ledger: Ledger;
      log: Logger;
    },
  ) {}

  /**
   * Verifies `rawBody` against its `Stripe-Signature` exactly as Stripe's SDK does and applies
   * the event. Throws 400 `invalid_signature` (applying nothing) when it does not match.
   */
  async receive(rawBody: Buffer, signature: string | undefined): Promise<{ applied: boolean }> {
    let event: Stripe.Event;
    try {
      event = this.deps.stripe.webhooks.constructEvent(
        rawBody,
        signature ?? '',
        this.deps.webhookSecret,
      );
    } catch {
      throw invalidSignature();
    }
    switch (event.type) {
      case 'checkout.session.completed':
      case 'checkout.session.async_payment_succeeded':
        return { applied: await this.sessionPaid(event.data.object.id) };
      case 'checkout.session.expired':
        await this.deps.db.kysely
          .updateTable('payments')
          .set({ status: 'expired' })
          .where('id', '=', event.data.object.id)
          .where('status', '=', 'open')
          .execute();
        return { applied: true };
      case 'charge.refunded':
        return { applied: await this.chargeRefunded(event.data.object) };
      case 'charge.dispute.created':
        return { applied: await this.disputeCreated(event.data.object) };
      default:
        return { applied: false };
    }
  }

  /**
   * Reads the session back from Stripe (the event may be old; the session says whether it is
   * paid and holds the charge and its receipt), then grants once.
   */
  private async sessionPaid(sessionId: string): Promise<boolean> {
    const session = await this.deps.stripe.checkout.sessions.retrieve(sessionId, {
      expand: ['payment_intent.latest_charge'],
    });
    if (session.payment_status !== 'paid') return false;
    const intent = typeof session.payment_intent === 'object' ? session.payment_intent : null;
    const charge = intent && typeof intent.latest_charge === 'object' ? intent.latest_charge : null;
    const paymentIntentId =
      typeof session.payment_intent === 'string' ? session.payment_intent : (intent?.id ?? null);
    return this.deps.db.kysely.transaction().execute(async (trx) => {
      const recorded = await trx
        .selectFrom('payments')
        .select(['account_id', 'credits', 'amount', 'currency'])
        .where('id', '=', session.id)
        .executeTakeFirst();
      // A session this server created carries what it priced; one made elsewhere is ignored.
      if (!recorded) {
        this.deps.log.warn({ sessionId: session.id }, 'paid Checkout Session not created here');
        return false;
      }
      await trx
        .updateTable('payments')
        .set({
          status: 'paid',
          payment_intent: paymentIntentId,
          charge_id: charge?.id ?? null,
          receipt_url: charge?.receipt_url ?? null,
          paid_at: Date.now(),
        })
        .where('id', '=', session.id)
        .execute();
      const credits = Number(recorded.credits);
      const posted = await this.deps.ledger.post(
        {
          accountId: recorded.account_id,
          kind: 'purchase',
          amount: credits,
          externalRef: session.id,
          paymentId: session.id,
          note: `${credits / MILLI_PER_CREDIT} credits for ${formatPrice(Number(recorded.amount), recorded.currency)} ${recorded.currency.toUpperCase()}`,
        },
        trx,
      );
      return posted !== null;
    });
  }

  private async chargeRefunded(charge: Stripe.Charge): Promise<boolean> {
    const payment = await this.paymentOf(charge.id, charge.payment_intent);
    if (!payment) return false;
    // The charge says how much of it is refunded in all; each state of it is posted once.
    const share = (payment.credits * charge.amount_refunded) / Math.max(charge.amount, 1);
    return this.reverse(payment, {
      kind: 'refund',
      externalRef: `${charge.id}:refunded:${charge.amount_refunded}`,
      target: () => Math.min(payment.credits, Math.round(share)),
      note: `refund of ${formatPrice(charge.amount_refunded, charge.currency)} ${charge.currency.toUpperCase()}`,
    });
  }

  private async disputeCreated(dispute: Stripe.Dispute): Promise<boolean> {
    const chargeId = typeof dispute.charge === 'string' ? dispute.charge : dispute.charge.id;
    const payment = await this.paymentOf(chargeId, dispute.payment_intent);
    if (!payment) return false;
    const share = Math.round((payment.credits * dispute.amount) / Math.max(payment.amount, 1));
    return this.reverse(payment, {
      kind: 'dispute',
      externalRef: dispute.id,
      target: (reversed) => Math.min(payment.credits, reversed + share),
      note: `dispute ${dispute.id} of ${formatPrice(dispute.amount, dispute.currency)} ${dispute.currency.toUpperCase()}`,
    });
  }

  private async paymentOf(
    chargeId: string,
    intent: string | Stripe.PaymentIntent | null,
  ): Promise<Payment | undefined> {
    const intentId = typeof intent === 'string' ? intent : (intent?.id ?? null);
    const row = await this.deps.db.kysely
      .selectFrom('payments')
      .select([
        'id',
        'account_id',
        'credits',
        'amount',
        'currency',
        'charge_id',
        'credits_reversed',
      ])
      .where((eb) =>
        intentId
          ? eb.or([eb('charge_id', '=', chargeId), eb('payment_intent', '=', intentId)])
          : eb('charge_id', '=', chargeId),
      )
      .where('status', '=', 'paid')
      .executeTakeFirst();
    return row
      ? {
          ...row,
          credits: Number(row.credits),
          amount: Number(row.amount),
          credits_reversed: Number(row.credits_reversed),
        }
      : undefined;
  }

  /**
   * Takes back credits of a payment up to `target(already reversed)`: one ledger row keyed by
   * `externalRef`, which may take the balance below zero (the credits may be spent). The
   * payment's `credits_reversed` is moved by a compare-and-set, so concurrent reversals of one
   * payment never take back more than it bought.
   */
  private async reverse(
    payment: Payment,
    reversal: {
      kind: 'refund' | 'dispute';
      externalRef: string;
      target: (reversed: number) => number;
      note: string;
    },
  ): Promise<boolean> {
    const k = this.deps.db.kysely;
    for (let attempt = 0; ; attempt++) {
      const seen = await k
        .selectFrom('ledger_entries')
        .select('id')
        .where('external_ref', '=', reversal.externalRef)
        .executeTakeFirst();
      if (seen) return false;
      try {
        return await k.transaction().execute(async (trx) => {
          const row = await trx
            .selectFrom('payments')
            .select('credits_reversed')
            .where('id', '=', payment.id)
            .executeTakeFirstOrThrow();
          const reversed = Number(row.credits_reversed);
          const target = reversal.target(reversed);
          if (target <= reversed) return false;
          const moved = await trx
            .updateTable('payments')
            .set({ credits_reversed: target })
            .where('id', '=', payment.id)
            .where('credits_reversed', '=', reversed)
            .executeTakeFirst();
          if (Number(moved.numUpdatedRows) !== 1) throw new ReversalRace();
          const posted = await this.deps.ledger.post(
            {
              accountId: payment.account_id,
              kind: reversal.kind,
              amount: -(target - reversed),
              externalRef: reversal.externalRef,
              paymentId: payment.id,
              note: reversal.note,
              mayGoNegative: true,
            },
            trx,
          );
          // Posted by a concurrent delivery of the same event: undo the payment's change.
          if (!posted) throw new ReversalRace();
          return true;
        });
      } catch (error) {
        if (!(error instanceof ReversalRace) || attempt >= 50) throw error;
      }
    }
  }
}
