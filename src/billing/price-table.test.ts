import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../catalog/loader.js';
import { providerDefinitions } from '../providers/registry.js';
import { priceTable } from './price-table.js';

describe('price tables', () => {
  const models = loadCatalog({ providers: providerDefinitions.map((p) => p.name) });
  const model = models.find((m) => m.id === 'local-placeholder')!;

  it('are built once per model and cannot be changed by a caller', () => {
    const table = priceTable(model);
    expect(priceTable(model)).toBe(table);
    expect(Object.isFrozen(table.size_prices[0])).toBe(true);
    expect(() => table.size_prices.push(table.size_prices[0]!)).toThrow(TypeError);
  });

  it('price every listed size and quality of the model', () => {
    const table = priceTable(model);
    expect(table.size_prices).toHaveLength((model.sizes.list.length + 1) * model.qualities.length);
    expect(new Set(table.size_prices.map((p) => p.size))).toContain('auto');
  });
});
