import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { customPrice, formatPrice, parsePacks, parsePrice } from './packs.js';

describe('credit packs', () => {
  it('parses credits:price pairs into minor units, sorted', () => {
    expect(parsePacks('1000:45.00, 100:5', 'usd')).toEqual([
      { credits: 100, amount: 500 },
      { credits: 1000, amount: 4500 },
    ]);
    expect(parsePacks('100:500', 'jpy')).toEqual([{ credits: 100, amount: 500 }]);
    expect(() => parsePacks('100:5.001', 'usd')).toThrow(/credits:price/);
    expect(() => parsePacks('100:5.5', 'jpy')).toThrow(/credits:price/);
    expect(() => parsePacks('0:5', 'usd')).toThrow();
    expect(() => parsePacks('100:5,100:6', 'usd')).toThrow(/two packs/);
  });

  it('prices custom amounts exactly, rounding up to a whole minor unit', () => {
    const unit = parsePrice('0.045', 'usd', 4)!;
    expect(customPrice({ minCredits: 1, maxCredits: 10, unitPriceE4: unit }, 3)).toBe(14);
    expect(customPrice({ minCredits: 1, maxCredits: 10, unitPriceE4: unit }, 100)).toBe(450);
    expect(formatPrice(450, 'usd')).toBe('4.50');
    expect(formatPrice(450, 'JPY')).toBe('450');
  });

  it('config: Stripe needs both keys and something to sell', () => {
    expect(() => loadConfig({ STRIPE_SECRET_KEY: 'sk_test_x' })).toThrow(/both/);
    expect(() =>
      loadConfig({ STRIPE_SECRET_KEY: 'sk_test_x', STRIPE_WEBHOOK_SECRET: 'whsec_x' }),
    ).toThrow(/PIXAPI_CREDIT_PACKS/);
    expect(() => loadConfig({ PIXAPI_CREDIT_CUSTOM_MIN: '10' })).toThrow(/UNIT_PRICE/);
    const config = loadConfig({
      STRIPE_SECRET_KEY: 'sk_test_x',
      STRIPE_WEBHOOK_SECRET: 'whsec_x',
      STRIPE_API_BASE: 'http://127.0.0.1:4010',
      PIXAPI_CREDIT_PACKS: '100:5.00',
      PIXAPI_CREDIT_CURRENCY: 'EUR',
    });
    expect(config.topups).toMatchObject({
      currency: 'eur',
      packs: [{ credits: 100, amount: 500 }],
      stripe: { api: { host: '127.0.0.1', port: 4010, protocol: 'http' } },
    });
    expect(loadConfig({}).topups.stripe).toBeUndefined();
  });
});
