import { describe, expect, it } from 'vitest';
import { nearestAspectRatio } from '../shared/aspect-ratio.js';
import { BFL_ASPECT_RATIOS, fitPixels, profileFor } from './models.js';

describe('nearestAspectRatio over BFL_ASPECT_RATIOS', () => {
  it.each([
    [1024, 1024, '1:1'],
    [1920, 1080, '16:9'],
    [1088, 1920, '9:16'],
    [1536, 1024, '3:2'],
    [1024, 1280, '4:5'],
    [4096, 1024, '21:9'],
    [1024, 4096, '9:21'],
    [1152, 896, '5:4'],
  ])('%i x %i → %s', (width, height, expected) => {
    expect(nearestAspectRatio(width, height, BFL_ASPECT_RATIOS)).toBe(expected);
  });
});

describe('fitPixels', () => {
  const flux2 = { mode: 'pixels', multiple: 16, min: 64, max: undefined } as const;
  const pro11 = { mode: 'pixels', multiple: 32, min: 256, max: 1440 } as const;

  it('keeps sizes that already fit', () => {
    expect(fitPixels(1024, 768, flux2)).toEqual({ width: 1024, height: 768 });
    expect(fitPixels(2048, 2048, flux2)).toEqual({ width: 2048, height: 2048 });
  });

  it('rounds to the model multiple', () => {
    expect(fitPixels(1040, 784, pro11)).toEqual({ width: 1056, height: 800 });
  });

  it('scales down under the maximum, keeping the ratio', () => {
    expect(fitPixels(2048, 1024, pro11)).toEqual({ width: 1440, height: 736 });
    expect(fitPixels(4096, 256, pro11)).toEqual({ width: 1440, height: 256 });
  });
});

describe('profileFor', () => {
  it('knows the catalog models', () => {
    expect(profileFor('flux-2-pro').maxInputImages).toBe(8);
    expect(profileFor('flux-kontext-max').sizing.mode).toBe('aspect');
    expect(profileFor('flux-pro-1.1-ultra').sizing.mode).toBe('aspect');
    expect(profileFor('flux-pro-1.1').maxInputImages).toBe(0);
  });

  it('guesses tolerantly for unknown models and filters no options', () => {
    expect(profileFor('flux-kontext-dev').sizing.mode).toBe('aspect');
    expect(profileFor('flux-2-klein-9b').maxInputImages).toBe(8);
    expect(profileFor('flux-9-future')).toMatchObject({
      sizing: { mode: 'pixels' },
      optionKeys: undefined,
    });
  });
});
