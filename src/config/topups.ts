import type { z } from 'zod';
import { parsePacks, parsePrice, type CreditPack, type CustomAmount } from '../billing/packs.js';
import { ConfigError } from './errors.js';
import { httpUrl, optionalLimit, optionalString } from './parsers.js';

/** The billing part of the configuration: Stripe keys and what is for sale. */

export const topupEnvShape = {
  STRIPE_SECRET_KEY: optionalString,
  STRIPE_WEBHOOK_SECRET: optionalString,
  STRIPE_API_BASE: httpUrl,
  PIXAPI_CREDIT_PACKS: optionalString,
  PIXAPI_CREDIT_CURRENCY: optionalString.refine((v) => v === undefined || /^[a-z]{3}$/i.test(v), {
    message: 'must be a three-letter ISO currency code',
  }),
  PIXAPI_CREDIT_CUSTOM_MIN: optionalLimit,
  PIXAPI_CREDIT_UNIT_PRICE: optionalString,
};

type TopupEnv = z.infer<z.ZodObject<typeof topupEnvShape>>;

/** Where the Stripe SDK sends its requests: Stripe's API unless STRIPE_API_BASE says otherwise. */
export interface StripeSettings {
  secretKey: string;
  webhookSecret: string;
  api: { host: string; port: number; protocol: 'http' | 'https' } | undefined;
}

export interface TopupSettings {
  /** Undefined: top-ups are not configured (no Stripe keys). */
  stripe: StripeSettings | undefined;
  /** Lower case, as Stripe takes it. */
  currency: string;
  packs: CreditPack[];
  custom: CustomAmount | undefined;
}

function stripeApi(base: string | undefined): StripeSettings['api'] {
  if (!base) return undefined;
  const url = new URL(base);
  const protocol = url.protocol === 'http:' ? 'http' : 'https';
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port ? Number(url.port) : protocol === 'http' ? 80 : 443,
    protocol,
  };
}

export function topups(env: TopupEnv): TopupSettings {
  if (!env.STRIPE_SECRET_KEY !== !env.STRIPE_WEBHOOK_SECRET) {
    throw new ConfigError(
      'Configuration error: set both STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET, or neither',
    );
  }
  const currency = (env.PIXAPI_CREDIT_CURRENCY ?? 'usd').toLowerCase();
  let packs: CreditPack[];
  try {
    packs = parsePacks(env.PIXAPI_CREDIT_PACKS ?? '', currency);
  } catch (error) {
    throw new ConfigError(`Configuration error: PIXAPI_CREDIT_PACKS ${(error as Error).message}`);
  }
  let custom: CustomAmount | undefined;
  if (env.PIXAPI_CREDIT_CUSTOM_MIN !== null) {
    const unitPriceE4 = env.PIXAPI_CREDIT_UNIT_PRICE
      ? parsePrice(env.PIXAPI_CREDIT_UNIT_PRICE, currency, 4)
      : undefined;
    if (!unitPriceE4) {
      throw new ConfigError(
        'Configuration error: PIXAPI_CREDIT_CUSTOM_MIN needs PIXAPI_CREDIT_UNIT_PRICE (the price of one credit, e.g. 0.05)',
      );
    }
    custom = { minCredits: env.PIXAPI_CREDIT_CUSTOM_MIN, maxCredits: 1_000_000, unitPriceE4 };
  }
  const stripe = env.STRIPE_SECRET_KEY
    ? {
        secretKey: env.STRIPE_SECRET_KEY,
        webhookSecret: env.STRIPE_WEBHOOK_SECRET as string,
        api: stripeApi(env.STRIPE_API_BASE),
      }
    : undefined;
  if (stripe && packs.length === 0 && !custom) {
    throw new ConfigError(
      'Configuration error: Stripe top-ups need PIXAPI_CREDIT_PACKS (e.g. 100:5.00,1000:45.00) or PIXAPI_CREDIT_CUSTOM_MIN',
    );
  }
  return { stripe, currency, packs, custom };
}
