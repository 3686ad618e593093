import { MILLI_PER_CREDIT } from '../credits.js';

/** A pack of credits sold at a fixed price. */
export interface CreditPack {
  /** Whole credits, also the pack's id in requests (`"pack": "100"`). */
  credits: number;
  /** The price in the currency's minor units (cents), as Stripe counts money. */
  amount: number;
}

/** Any number of credits from a minimum, at a price per credit. */
export interface CustomAmount {
  minCredits: number;
  maxCredits: number;
  /** The price of one credit in ten-thousandths of a minor unit, so that $0.045 is exact. */
  unitPriceE4: number;
}

/** Stripe's currencies without a minor unit: their amounts are whole units. */
const ZERO_DECIMAL = new Set(
  'bif clp djf gnf jpy kmf krw mga pyg rwf ugx vnd vuv xaf xof xpf'.split(' '),
);

export function currencyDecimals(currency: string): number {
  return ZERO_DECIMAL.has(currency.toLowerCase()) ? 0 : 2;
}

/**
 * A decimal price (`5.00`) in minor units with `extra` more decimal places; undefined when it is
 * not a positive number with at most that many decimals.
 */
export function parsePrice(text: string, currency: string, extra = 0): number | undefined {
  const places = currencyDecimals(currency) + extra;
  const match = /^(\d{1,9})(?:\.(\d+))?$/.exec(text.trim());
  if (!match) return undefined;
  const fraction = match[2] ?? '';
  if (fraction.length > places) return undefined;
  const value = Number(match[1]) * 10 ** places + Number(fraction.padEnd(places, '0') || '0');
  return value > 0 ? value : undefined;
}

/** Minor units as the decimal a person reads (`500` USD: `5.00`). */
export function formatPrice(amount: number, currency: string): string {
  const places = currencyDecimals(currency);
  return places === 0 ? String(amount) : (amount / 10 ** places).toFixed(places);
}

/**
 * Parses `PIXAPI_CREDIT_PACKS` (`credits:price` pairs, e.g. `100:5.00,1000:45.00`).
 *
 * @throws Error naming the first invalid pair
 * @example parsePacks('100:5.00', 'usd') // [{ credits: 100, amount: 500 }]
 */
export function parsePacks(text: string, currency: string): CreditPack[] {
  const packs: CreditPack[] = [];
  for (const pair of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [credits, price, rest] = pair.split(':');
    const count = Number(credits);
    const amount = price === undefined ? undefined : parsePrice(price, currency);
    if (rest !== undefined || !Number.isInteger(count) || count < 1 || count > 1e9 || !amount) {
      throw new Error(`'${pair}' is not credits:price (e.g. 100:5.00)`);
    }
    if (packs.some((p) => p.credits === count)) throw new Error(`two packs of ${count} credits`);
    packs.push({ credits: count, amount });
  }
  return packs.sort((a, b) => a.credits - b.credits);
}

/** The price of `credits` custom credits in minor units, rounded up to a whole minor unit. */
export function customPrice(custom: CustomAmount, credits: number): number {
  return Math.ceil((credits * custom.unitPriceE4) / 10_000);
}

/** Whole credits to the ledger's millicredits. */
export function creditsToMilli(credits: number): number {
  return credits * MILLI_PER_CREDIT;
}
