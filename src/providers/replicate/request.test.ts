import { describe, expect, it } from 'vitest';
import { nearestAspectRatio } from '../shared/aspect-ratio.js';
import type { GenerateInput } from '../types.js';
import {
  REPLICATE_ASPECT_RATIOS,
  parseReplicateModel,
  predictionsPath,
  replicateImageFields,
  replicateOutputFormat,
  splitOutputs,
  toReplicateInput,
} from './request.js';
import { generateInput } from '../../../test/helpers/provider-fixtures.js';

const VERSION = '5599ed30703defd1d160a25a63321b4dec97101d98b4674bcc56e41f62f35637';

const input = (overrides: Partial<GenerateInput> = {}): GenerateInput =>
  generateInput({
    model: 'black-forest-labs/flux-schnell',
    prompt: 'a lighthouse at dusk',
    outputFormat: 'webp',
    ...overrides,
  });

describe('parseReplicateModel', () => {
  it('routes owner/name to the official model endpoint', () => {
    const target = parseReplicateModel('black-forest-labs/flux-schnell');
    expect(target).toEqual({ kind: 'model', owner: 'black-forest-labs', name: 'flux-schnell' });
    expect(predictionsPath(target)).toBe('/v1/models/black-forest-labs/flux-schnell/predictions');
  });

  it('routes owner/name:version and bare versions to /v1/predictions', () => {
    expect(parseReplicateModel(`stability-ai/sdxl:${VERSION}`)).toEqual({
      kind: 'version',
      version: VERSION,
    });
    const bare = parseReplicateModel(VERSION);
    expect(bare).toEqual({ kind: 'version', version: VERSION });
    expect(predictionsPath(bare)).toBe('/v1/predictions');
  });

  it('refuses ids that are neither', () => {
    for (const id of ['flux', 'a/b/c', '../x', 'a/b:notahexversion', '']) {
      expect(() => parseReplicateModel(id)).toThrow(
        expect.objectContaining({ kind: 'misconfigured' }),
      );
    }
  });
});

describe('REPLICATE_ASPECT_RATIOS', () => {
  it('give the accepted ratio nearest to the size', () => {
    expect(nearestAspectRatio(1024, 1024, REPLICATE_ASPECT_RATIOS)).toBe('1:1');
    expect(nearestAspectRatio(1536, 1024, REPLICATE_ASPECT_RATIOS)).toBe('3:2');
    expect(nearestAspectRatio(1024, 1536, REPLICATE_ASPECT_RATIOS)).toBe('2:3');
    expect(nearestAspectRatio(1920, 1080, REPLICATE_ASPECT_RATIOS)).toBe('16:9');
    expect(nearestAspectRatio(1080, 1920, REPLICATE_ASPECT_RATIOS)).toBe('9:16');
    expect(nearestAspectRatio(2560, 1080, REPLICATE_ASPECT_RATIOS)).toBe('21:9');
    expect(nearestAspectRatio(4000, 1000, REPLICATE_ASPECT_RATIOS)).toBe('21:9');
    expect(nearestAspectRatio(1100, 1000, REPLICATE_ASPECT_RATIOS)).toBe('1:1');
  });
});

describe('toReplicateInput', () => {
  it('maps a generation to the FLUX input', () => {
    expect(toReplicateInput(input({ n: 2, seed: 9, outputFormat: 'jpeg' }))).toEqual({
      prompt: 'a lighthouse at dusk',
      aspect_ratio: '1:1',
      num_outputs: 2,
      seed: 9,
      output_format: 'jpg',
    });
  });

  it('sends width and height when the route says so, and forwards other options', () => {
    const body = toReplicateInput(
      input({ options: { size_mode: 'dimensions', go_fast: true, megapixels: '1' } }),
    );
    expect(body).toMatchObject({ width: 1024, height: 1024, go_fast: true, megapixels: '1' });
    expect(body).not.toHaveProperty('aspect_ratio');
    expect(body).not.toHaveProperty('size_mode');
  });

  it('gives each parallel prediction its own count and seed, without num_outputs at max 1', () => {
    const body = toReplicateInput(input({ n: 3, seed: 100, options: { max_outputs: 1 } }), {
      count: 1,
      offset: 2,
    });
    expect(body).toMatchObject({ seed: 102 });
    expect(body).not.toHaveProperty('num_outputs');
    expect(body).not.toHaveProperty('max_outputs');
  });

  it('adds input_image for edits, keeping the input aspect ratio when no size is asked', () => {
    const edit = input({ size: { width: 1024, height: 1024, requested: 'auto', tier: '1K' } });
    const body = toReplicateInput(edit, undefined, {
      images: ['https://px/a.png'],
      mask: undefined,
    });
    expect(body).toMatchObject({ input_image: 'https://px/a.png' });
    expect(body).not.toHaveProperty('aspect_ratio');
  });
});

describe('replicateImageFields', () => {
  it('uses input_image by default, or the named field (a list with [])', () => {
    const urls = { images: ['u1', 'u2'], mask: 'm' };
    expect(replicateImageFields(urls, undefined)).toEqual({ input_image: 'u1', mask: 'm' });
    expect(replicateImageFields(urls, 'image')).toEqual({ image: 'u1', mask: 'm' });
    expect(replicateImageFields(urls, 'image_input[]')).toEqual({
      image_input: ['u1', 'u2'],
      mask: 'm',
    });
  });
});

describe('splitOutputs and replicateOutputFormat', () => {
  it('splits n by the route cap', () => {
    expect(splitOutputs(3, undefined)).toEqual([3]);
    expect(splitOutputs(5, 2)).toEqual([2, 2, 1]);
    expect(splitOutputs(2, 1)).toEqual([1, 1]);
    expect(splitOutputs(2, 'x')).toEqual([2]);
  });

  it('names JPEG jpg', () => {
    expect(replicateOutputFormat('jpeg')).toBe('jpg');
    expect(replicateOutputFormat('png')).toBe('png');
    expect(replicateOutputFormat('webp')).toBe('webp');
  });
});
