import { describe, expect, it } from 'vitest';
import { builtinModels } from './builtin.js';
import { modelSchema } from './schema.js';
import { resolveSize } from './sizes.js';

const spec = (id: string) => modelSchema.parse(builtinModels.find((m) => m.id === id)).sizes;

describe('resolveSize', () => {
  it('maps auto and missing sizes to the model default', () => {
    expect(resolveSize(spec('gpt-image-1.5'), 'auto')).toEqual({
      width: 1024,
      height: 1024,
      tier: '1K',
    });
    expect(resolveSize(spec('gpt-image-1.5'), undefined)).toEqual({
      width: 1024,
      height: 1024,
      tier: '1K',
    });
  });

  it('accepts only listed sizes for listed models', () => {
    expect(resolveSize(spec('gpt-image-1.5'), '1536x1024')?.tier).toBe('large');
    expect(resolveSize(spec('gpt-image-1.5'), '800x600')).toBeUndefined();
    expect(resolveSize(spec('gpt-image-1.5'), '1024x1024x3')).toBeUndefined();
  });

  it('checks the free-size rules of gpt-image-2 and prices them by tier', () => {
    const s = spec('gpt-image-2');
    expect(resolveSize(s, '1024x768')?.tier).toBe('1K');
    expect(resolveSize(s, '2048x2048')?.tier).toBe('2K');
    expect(resolveSize(s, '3840x2160')?.tier).toBe('4K');
    expect(resolveSize(s, '1000x1000')).toBeUndefined(); // not a multiple of 16
    expect(resolveSize(s, '512x512')).toBeUndefined(); // under 655,360 pixels
    expect(resolveSize(s, '3840x1024')).toBeUndefined(); // ratio above 3:1
    expect(resolveSize(s, '4096x2160')).toBeUndefined(); // over 8,294,400 pixels
  });

  it('gives the local model any reasonable exact size', () => {
    expect(resolveSize(spec('local-placeholder'), '640x480')).toEqual({
      width: 640,
      height: 480,
      tier: 'default',
    });
    expect(resolveSize(spec('local-placeholder'), '8x8')).toBeUndefined();
  });
});
