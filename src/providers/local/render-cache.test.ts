import { describe, expect, it } from 'vitest';
import { RenderCache } from './render-cache.js';
import type { PlaceholderSpec } from './render.js';

const spec: PlaceholderSpec = {
  prompt: 'a fox',
  seed: 1,
  width: 32,
  height: 32,
  format: 'png',
  transparent: false,
};

describe('RenderCache', () => {
  it('keys every field that changes the bytes, and never an edit', () => {
    const cache = new RenderCache(1024);
    const key = cache.key(spec);
    expect(key).toBeDefined();
    for (const other of [
      { prompt: 'a cat' },
      { seed: 2 },
      { width: 64 },
      { height: 64 },
      { format: 'jpeg' as const },
      { transparent: true },
      { compression: 50 },
    ]) {
      expect(cache.key({ ...spec, ...other })).not.toBe(key);
    }
    expect(cache.key({ ...spec, inputs: [Buffer.from('x')] })).toBeUndefined();
  });

  it('stays within its byte budget, dropping the least recently used first', () => {
    const cache = new RenderCache(1600);
    const bytes = Buffer.alloc(150);
    cache.set('a', bytes);
    cache.set('b', bytes);
    expect(cache.get('a')).toBe(bytes);
    for (const key of 'cdefghijk') cache.set(key, bytes);
    // 'a' was read after 'b' was stored, so 'b' went first.
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('k')).toBe(bytes);
    // Larger than an eighth of the budget: not kept.
    cache.set('big', Buffer.alloc(400));
    expect(cache.get('big')).toBeUndefined();
  });
});
