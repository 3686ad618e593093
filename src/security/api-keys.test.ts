import { describe, expect, it } from 'vitest';
import { generateApiKey, hashApiKey, isWellFormedApiKey } from './api-keys.js';

describe('api keys', () => {
  it('have the sk_pix_ prefix, 22 random and 6 checksum characters', () => {
    const key = generateApiKey();
    expect(key.plaintext).toMatch(/^sk_pix_[0-9A-Za-z]{28}$/);
    expect(isWellFormedApiKey(key.plaintext)).toBe(true);
  });

  it('store only a SHA-256 and a short display prefix', () => {
    const key = generateApiKey();
    expect(key.hash).toBe(hashApiKey(key.plaintext));
    expect(key.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(key.displayPrefix).toBe(key.plaintext.slice(0, 11));
  });

  it('are unique', () => {
    const seen = new Set(Array.from({ length: 1000 }, () => generateApiKey().plaintext));
    expect(seen.size).toBe(1000);
  });

  it('reject a single mistyped character through the checksum', () => {
    const { plaintext } = generateApiKey();
    const i = 10;
    const swapped = plaintext[i] === 'a' ? 'b' : 'a';
    const typo = plaintext.slice(0, i) + swapped + plaintext.slice(i + 1);
    expect(isWellFormedApiKey(typo)).toBe(false);
  });

  it('reject other shapes', () => {
    for (const bad of ['', 'sk_pix_', 'sk-proj-abc', `sk_pix_${'a'.repeat(29)}`, 'Bearer x']) {
      expect(isWellFormedApiKey(bad)).toBe(false);
    }
  });
});
