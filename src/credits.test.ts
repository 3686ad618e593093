import { describe, expect, it } from 'vitest';
import { formatCredits, parseCredits, toCredits } from './credits.js';

describe('credits', () => {
  it('parse decimals into integer millicredits', () => {
    expect(parseCredits('1')).toBe(1000);
    expect(parseCredits('0.5')).toBe(500);
    expect(parseCredits('12.345')).toBe(12345);
    expect(parseCredits(1.5)).toBe(1500);
  });

  it('refuse negatives, more than three decimals and junk', () => {
    for (const bad of ['-1', '0.0001', 'abc', '', '1e3', '1.']) {
      expect(parseCredits(bad)).toBeUndefined();
    }
  });

  it('format back without float noise', () => {
    expect(toCredits(1500)).toBe(1.5);
    expect(formatCredits(21000)).toBe('21');
    expect(formatCredits(1)).toBe('0.001');
  });
});
