import type { PriceRule } from '../catalog/schema.js';

export interface PriceContext {
  quality: string;
  tier: string;
}

/**
 * The price of one output image in millicredits: the first rule whose conditions all match.
 * Catalog validation guarantees a final rule without conditions.
 */
export function pricePerImage(rules: readonly PriceRule[], context: PriceContext): number {
  const rule = rules.find(
    (r) =>
      (!r.quality || r.quality.includes(context.quality)) &&
      (!r.tier || r.tier.includes(context.tier)),
  );
  if (!rule) throw new Error('pricing rules without a catch-all rule');
  return rule.credits;
}

/** The lowest price any request can have, shown on model pages as "from". */
export function lowestPrice(rules: readonly PriceRule[]): number {
  return Math.min(...rules.map((r) => r.credits));
}
