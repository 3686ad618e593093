import type { Translate } from '../i18n/locale.js';

/** The fields of `GET /v1/models` entries that a catalog card shows. */
export interface CardSource {
  id: string;
  name: string;
  description: string;
  provider: string;
  capabilities: readonly string[];
  pricing: { from_credits: number };
  available: boolean;
  /**
   * Shown as a badge, so that a visitor does not pick a model that is going away; a retired
   * model whose requests a successor serves says so rather than looking dead.
   */
  lifecycle: 'deprecated' | 'retired' | 'redirected' | null;
}

export interface CatalogFilter {
  q: string;
  provider: string;
  capability: string;
}

/** A price in credits in the page language: "1 credit", "0.5 credits". */
export function formatCredits(t: Translate, credits: number): string {
  return t(credits === 1 ? 'credits.one' : 'credits.other', { count: credits });
}

/**
 * The models that pass the catalog filters. The server renders with it and the browser filters
 * with it again as the visitor types, so both always agree.
 */
export function filterCards<T extends CardSource>(cards: readonly T[], filter: CatalogFilter): T[] {
  const q = filter.q.trim().toLowerCase();
  return cards.filter(
    (card) =>
      (filter.provider === '' || card.provider === filter.provider) &&
      (filter.capability === '' || card.capabilities.includes(filter.capability)) &&
      (q === '' ||
        card.id.toLowerCase().includes(q) ||
        card.name.toLowerCase().includes(q) ||
        card.description.toLowerCase().includes(q)),
  );
}

/** The filter read from a query string; unknown values mean "all". */
export function readFilter(
  query: Record<string, unknown>,
  cards: readonly CardSource[],
): CatalogFilter {
  const text = (v: unknown) => (typeof v === 'string' ? v.slice(0, 100) : '');
  const provider = text(query.provider);
  const capability = text(query.capability);
  return {
    q: text(query.q),
    provider: cards.some((c) => c.provider === provider) ? provider : '',
    capability: cards.some((c) => c.capabilities.includes(capability)) ? capability : '',
  };
}

export function distinct(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}
