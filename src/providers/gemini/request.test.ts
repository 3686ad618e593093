import { describe, expect, it } from 'vitest';
import { fakeInputImage, geminiEditInput, geminiInput } from '../../../test/fakes/gemini/index.js';
import { nearestAspectRatio } from '../shared/aspect-ratio.js';
import { modelSpec } from './models.js';
import { MASK_NOTE, toEditBody, toGenerateBody, toImageSize } from './request.js';

const size = (width: number, height: number, tier = '1K') => ({
  width,
  height,
  requested: `${width}x${height}`,
  tier,
});

describe('nearestAspectRatio over the model specs', () => {
  const common = modelSpec('gemini-3-pro-image-preview').aspectRatios;
  const extended = modelSpec('gemini-3.1-flash-image-preview').aspectRatios;

  it.each([
    [1024, 1024, '1:1'],
    [1536, 1024, '3:2'],
    [1024, 1536, '2:3'],
    [1920, 1080, '16:9'],
    [1080, 1920, '9:16'],
    [2560, 1080, '21:9'],
    [1200, 1000, '5:4'],
    [1100, 1000, '1:1'],
    [4000, 1000, '21:9'],
  ])('%i x %i → %s among the common ratios', (w, h, ratio) => {
    expect(nearestAspectRatio(w, h, common)).toBe(ratio);
  });

  it('uses the extreme ratios only where the model has them', () => {
    expect(nearestAspectRatio(4000, 1000, extended)).toBe('4:1');
    expect(nearestAspectRatio(512, 4096, extended)).toBe('1:8');
    expect(nearestAspectRatio(512, 4096, common)).toBe('9:16');
  });
});

describe('toImageSize', () => {
  it('passes the tier when the model takes it', () => {
    expect(toImageSize(size(4096, 4096, '4K'), ['1K', '2K', '4K'])).toBe('4K');
    expect(toImageSize(size(512, 512, '512'), ['512', '1K', '2K', '4K'])).toBe('512');
  });

  it('rounds a size the model lacks up to the next one it has', () => {
    expect(toImageSize(size(512, 512, '512'), ['1K', '2K', '4K'])).toBe('1K');
  });

  it('reads lowercase and 0.5K tiers, and derives a missing tier from the longest side', () => {
    expect(toImageSize(size(2048, 1152, '2k'), ['1K', '2K', '4K'])).toBe('2K');
    expect(toImageSize(size(512, 512, '0.5K'), ['512', '1K'])).toBe('512');
    expect(toImageSize(size(3840, 2160, 'hd'), ['1K', '2K', '4K'])).toBe('4K');
  });

  it('is undefined for a model that takes no imageSize', () => {
    expect(toImageSize(size(1024, 1024), [])).toBeUndefined();
  });
});

describe('toGenerateBody', () => {
  it('maps a pro request to the documented body', () => {
    const body = toGenerateBody(
      geminiInput({ size: size(2816, 1536, '2K'), prompt: 'a lighthouse' }),
    );
    expect(body).toEqual({
      contents: [{ role: 'user', parts: [{ text: 'a lighthouse' }] }],
      generationConfig: {
        responseModalities: ['TEXT', 'IMAGE'],
        imageConfig: { aspectRatio: '16:9', imageSize: '2K' },
      },
    });
  });

  it('sends no imageSize to gemini-2.5-flash-image', () => {
    const body = toGenerateBody(
      geminiInput({ model: 'gemini-2.5-flash-image', size: size(1024, 1536, '2K') }),
    );
    expect(body.generationConfig.imageConfig).toEqual({ aspectRatio: '2:3' });
  });

  it('sends 512 and an extreme ratio to gemini-3.1-flash-image-preview', () => {
    const body = toGenerateBody(
      geminiInput({ model: 'gemini-3.1-flash-image-preview', size: size(256, 2048, '512') }),
    );
    expect(body.generationConfig.imageConfig).toEqual({ aspectRatio: '1:8', imageSize: '512' });
  });

  it('sends no ratio for size auto, so that Gemini follows the input images', () => {
    const body = toGenerateBody(
      geminiInput({ size: { width: 1024, height: 1024, requested: 'auto', tier: '1K' } }),
    );
    expect(body.generationConfig.imageConfig).toEqual({ imageSize: '1K' });
  });

  it('gives each of the n calls its own seed', () => {
    const input = geminiInput({ seed: 42, n: 3 });
    expect([0, 1, 2].map((i) => toGenerateBody(input, i).generationConfig.seed)).toEqual([
      42, 43, 44,
    ]);
    expect(toGenerateBody(geminiInput()).generationConfig).not.toHaveProperty('seed');
  });

  it('reads the route options responseModalities, aspectRatio and imageSize', () => {
    const body = toGenerateBody(
      geminiInput({
        options: { responseModalities: ['image'], aspectRatio: '4:5', imageSize: '4K' },
      }),
    );
    expect(body.generationConfig).toEqual({
      responseModalities: ['IMAGE'],
      imageConfig: { aspectRatio: '4:5', imageSize: '4K' },
    });
  });

  it('ignores a malformed responseModalities option', () => {
    const body = toGenerateBody(geminiInput({ options: { responseModalities: 'IMAGE' } }));
    expect(body.generationConfig.responseModalities).toEqual(['TEXT', 'IMAGE']);
  });
});

describe('toEditBody', () => {
  it('inlines every image after the prompt, then the mask after a note', () => {
    const a = fakeInputImage(Buffer.from('first'));
    const b = { ...fakeInputImage(Buffer.from('second')), contentType: 'image/jpeg' as const };
    const mask = fakeInputImage(Buffer.from('mask'));
    const body = toEditBody(geminiEditInput([a, b], { prompt: 'add a hat', mask }));
    expect(body.contents[0].parts).toEqual([
      { text: 'add a hat' },
      { inline_data: { mime_type: 'image/png', data: Buffer.from('first').toString('base64') } },
      { inline_data: { mime_type: 'image/jpeg', data: Buffer.from('second').toString('base64') } },
      { text: MASK_NOTE },
      { inline_data: { mime_type: 'image/png', data: Buffer.from('mask').toString('base64') } },
    ]);
  });

  it('sends no mask note without a mask', () => {
    const body = toEditBody(geminiEditInput([fakeInputImage(Buffer.from('x'))]));
    expect(body.contents[0].parts).toHaveLength(2);
  });
});
