import type { ModelSpec } from '../catalog/schema.js';
import { resolveSize } from '../catalog/sizes.js';
import { toCredits } from '../credits.js';
import { pricePerImage } from './pricing.js';

export interface PriceTier {
  tier: string;
  /** The listed sizes in this tier (`auto` included where it falls). */
  sizes: string[];
  /** Free-form sizes (`WIDTHxHEIGHT` within the model's bounds) up to this many pixels. */
  max_pixels?: number;
}

/**
 * What a client needs to compute a request's price before sending it: which sizes fall in which
 * price tier, and the price of one image for every tier × quality and every listed size ×
 * quality. A request costs `n ×` its entry.
 *
 * @example
 * priceTable(model).size_prices.find((p) => p.size === '1024x1024' && p.quality === 'low')
 */
export function priceTable(model: ModelSpec): PriceTable {
  let table = tables.get(model);
  if (!table) tables.set(model, (table = deepFreeze(buildPriceTable(model))));
  return table;
}

/** Shared by every caller, so nobody may change it. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

export type PriceTable = ReturnType<typeof buildPriceTable>;

/**
 * Tables by model: a model's spec does not change once loaded (a new catalog is new objects),
 * and `GET /v1/models` shows every model's table on each call.
 */
const tables = new WeakMap<ModelSpec, PriceTable>();

function buildPriceTable(model: ModelSpec) {
  const tiers = new Map<string, PriceTier>();
  const tier = (name: string) => {
    let entry = tiers.get(name);
    if (!entry) tiers.set(name, (entry = { tier: name, sizes: [] }));
    return entry;
  };
  const sizes = ['auto', ...model.sizes.list.map((s) => s.size)];
  const resolved = sizes.flatMap((size) => {
    const found = resolveSize(model.sizes, size);
    return found ? [{ size, tier: found.tier }] : [];
  });
  for (const { size, tier: name } of resolved) tier(name).sizes.push(size);
  if (model.sizes.free) {
    for (const t of model.sizes.tiers) tier(t.tier).max_pixels = t.max_pixels;
    if (model.sizes.tiers.length === 0) tier('default').max_pixels = model.sizes.free.max_pixels;
  }
  const price = (tierName: string, quality: string) =>
    toCredits(pricePerImage(model.pricing.rules, { tier: tierName, quality }));
  return {
    tiers: [...tiers.values()],
    tier_prices: [...tiers.keys()].flatMap((name) =>
      model.qualities.map((quality) => ({ tier: name, quality, credits: price(name, quality) })),
    ),
    size_prices: resolved.flatMap(({ size, tier: name }) =>
      model.qualities.map((quality) => ({
        size,
        tier: name,
        quality,
        credits: price(name, quality),
      })),
    ),
  };
}
