import { describe, expect, it } from 'vitest';
import { builtinModels } from '../catalog/builtin.js';
import { modelSchema } from '../catalog/schema.js';
import { lowestPrice, pricePerImage } from './pricing.js';

const rules = (id: string) =>
  modelSchema.parse(builtinModels.find((m) => m.id === id)).pricing.rules;

describe('pricing of the built-in catalog (PROVIDERS.md)', () => {
  it('gpt-image-1.5: by quality at 1024², larger sizes ×1.5', () => {
    const r = rules('gpt-image-1.5');
    expect(pricePerImage(r, { quality: 'low', tier: '1K' })).toBe(1000);
    expect(pricePerImage(r, { quality: 'medium', tier: '1K' })).toBe(4000);
    expect(pricePerImage(r, { quality: 'high', tier: '1K' })).toBe(14000);
    expect(pricePerImage(r, { quality: 'auto', tier: '1K' })).toBe(14000);
    expect(pricePerImage(r, { quality: 'low', tier: 'large' })).toBe(1500);
    expect(pricePerImage(r, { quality: 'medium', tier: 'large' })).toBe(6000);
    expect(pricePerImage(r, { quality: 'high', tier: 'large' })).toBe(21000);
  });

  it('gpt-image-2: by tier and quality', () => {
    const r = rules('gpt-image-2');
    const table: Array<[string, string, number]> = [
      ['1K', 'low', 1],
      ['1K', 'medium', 4],
      ['1K', 'high', 14],
      ['1K', 'auto', 14],
      ['2K', 'low', 2],
      ['2K', 'medium', 17],
      ['2K', 'high', 67],
      ['4K', 'low', 4],
      ['4K', 'medium', 34],
      ['4K', 'high', 133],
    ];
    for (const [tier, quality, credits] of table) {
      expect(pricePerImage(r, { tier, quality })).toBe(credits * 1000);
    }
  });

  it('Gemini models: flat or by tier', () => {
    expect(pricePerImage(rules('gemini-2.5-flash-image'), { quality: 'auto', tier: '1K' })).toBe(
      2000,
    );
    const flash = rules('gemini-3.1-flash-image-preview');
    expect(pricePerImage(flash, { quality: 'auto', tier: '512' })).toBe(4000);
    expect(pricePerImage(flash, { quality: 'auto', tier: '1K' })).toBe(4000);
    expect(pricePerImage(flash, { quality: 'auto', tier: '2K' })).toBe(6000);
    expect(pricePerImage(flash, { quality: 'auto', tier: '4K' })).toBe(8000);
    const pro = rules('gemini-3-pro-image-preview');
    expect(pricePerImage(pro, { quality: 'auto', tier: '2K' })).toBe(8000);
    expect(pricePerImage(pro, { quality: 'auto', tier: '4K' })).toBe(16000);
  });

  it('local-placeholder costs 1 credit and reports its lowest price', () => {
    const r = rules('local-placeholder');
    expect(pricePerImage(r, { quality: 'high', tier: 'default' })).toBe(1000);
    expect(lowestPrice(rules('gpt-image-1.5'))).toBe(1000);
  });
});
