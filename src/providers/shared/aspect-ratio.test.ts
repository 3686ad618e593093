import { describe, expect, it } from 'vitest';
import { nearestAspectRatio } from './aspect-ratio.js';

describe('nearestAspectRatio', () => {
  const ratios = ['16:9', '3:2', '1:1', '2:3', '9:16'];

  it('picks the nearest ratio on a log scale', () => {
    expect(nearestAspectRatio(1920, 1080, ratios)).toBe('16:9');
    expect(nearestAspectRatio(1536, 1024, ratios)).toBe('3:2');
    expect(nearestAspectRatio(1100, 1000, ratios)).toBe('1:1');
    expect(nearestAspectRatio(4000, 1000, ratios)).toBe('16:9');
    expect(nearestAspectRatio(1000, 4000, ratios)).toBe('9:16');
  });

  it('keeps the first of equally near ratios', () => {
    // 2:1 and 1:2 are equally far from 1:1.
    expect(nearestAspectRatio(1, 1, ['2:1', '1:2'])).toBe('2:1');
    expect(nearestAspectRatio(1, 1, ['1:2', '2:1'])).toBe('1:2');
  });

  it('skips unreadable entries and falls back to 1:1', () => {
    expect(nearestAspectRatio(1920, 1080, ['wide', '0:1', '16:9'])).toBe('16:9');
    expect(nearestAspectRatio(1920, 1080, [])).toBe('1:1');
    expect(nearestAspectRatio(0, 0, ratios)).toBe('1:1');
  });
});
