import type { FastifyInstance } from 'fastify';
import { topupsNotConfigured } from '../../billing/checkout.js';
import type { Services } from '../../services.js';

/** What stripeWebhookRoute uses of the services. */
export type StripeWebhookDeps = Pick<Services, 'stripe'>;

/**
 * Stripe's webhook. Its signature covers the exact bytes sent, so this route (in a scope of its
 * own) keeps the body as a Buffer instead of parsing JSON; the event is parsed only after
 * `stripe.webhooks.constructEvent` has verified it. Answers 2xx once the event is applied (or
 * ignored), 400 on a bad signature, and 5xx on a failure so that Stripe delivers it again.
 */
export function stripeWebhookRoute(app: FastifyInstance, services: StripeWebhookDeps): void {
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      '*',
      { parseAs: 'buffer', bodyLimit: 512 * 1024 },
      (_r, body, done) => done(null, body),
    );
    scope.post<{ Body: Buffer | undefined }>('/v1/billing/stripe/webhook', async (request) => {
      if (!services.stripe) throw topupsNotConfigured();
      const signature = request.headers['stripe-signature'];
      const { applied } = await services.stripe.events.receive(
        request.body ?? Buffer.alloc(0),
        typeof signature === 'string' ? signature : undefined,
      );
      return { received: true, applied };
    });
  });
}
