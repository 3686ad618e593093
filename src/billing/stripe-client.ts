import Stripe from 'stripe';
import type { StripeSettings } from '../config.js';

/**
 * The Stripe SDK client. `STRIPE_API_BASE` points it at another server speaking Stripe's API
 * (the tests' fake on loopback); unset, the SDK talks to Stripe.
 */
export function createStripe(settings: StripeSettings): Stripe {
  return new Stripe(settings.secretKey, {
    ...(settings.api ?? {}),
    // The SDK retries with its own idempotency keys, so a retried create makes one session.
    maxNetworkRetries: 2,
    timeout: 20_000,
    telemetry: false,
  });
}
