import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonDepth } from './json-body.js';

function depthOf(value: unknown): number {
  if (Array.isArray(value)) return 1 + Math.max(0, ...value.map(depthOf));
  if (typeof value === 'object' && value !== null) {
    return 1 + Math.max(0, ...Object.values(value).map(depthOf));
  }
  return 0;
}

describe('jsonDepth', () => {
  it('measures the nesting of any JSON text, brackets in strings aside', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(jsonDepth(JSON.stringify(value), 1_000)).toBe(depthOf(value));
      }),
    );
  });

  it('stops early on deep text and never recurses', () => {
    expect(jsonDepth('['.repeat(1_000_000), 32)).toBe(33);
    expect(jsonDepth(`{"a":"${'['.repeat(100)}\\"["}`, 32)).toBe(1);
  });
});
