import { describe, expect, it } from 'vitest';
import { randomBase62, sortableId, unguessableId } from './ids.js';

describe('ids', () => {
  it('sortable ids are prefixed ULIDs that increase even within one millisecond', () => {
    const ids = Array.from({ length: 5000 }, () => sortableId('req'));
    for (const id of ids) expect(id).toMatch(/^req_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('random base62 uses every symbol about equally often', () => {
    const text = randomBase62(62 * 2000);
    expect(text).toHaveLength(62 * 2000);
    const counts = new Map<string, number>();
    for (const c of text) counts.set(c, (counts.get(c) ?? 0) + 1);
    expect(counts.size).toBe(62);
    // 2000 expected per symbol; a deviation of 25 % is more than 11 standard deviations.
    for (const n of counts.values()) expect(Math.abs(n - 2000)).toBeLessThan(500);
    expect(unguessableId('ast')).toMatch(/^ast_[0-9A-Za-z]{22}$/);
  });
});
