import { describe, expect, it } from 'vitest';
import type { GenerateInput } from '../types.js';
import { falImageFields, falModelPath, falOutputFormat, toFalInput } from './request.js';
import { generateInput, sized } from '../../../test/helpers/provider-fixtures.js';

const input = (overrides: Partial<GenerateInput> = {}): GenerateInput =>
  generateInput({
    model: 'fal-ai/flux/schnell',
    size: sized(1024, 768, '1K'),
    ...overrides,
  });

describe('toFalInput', () => {
  it('maps a generation to the FLUX input schema', () => {
    expect(toFalInput(input({ n: 3, seed: 42 }))).toEqual({
      prompt: 'a red fox in the snow',
      image_size: { width: 1024, height: 768 },
      num_images: 3,
      seed: 42,
      output_format: 'png',
      enable_safety_checker: true,
    });
  });

  it('omits the seed when none is asked, and lets route options override defaults', () => {
    const body = toFalInput(
      input({ options: { num_inference_steps: 4, image_size: 'square_hd' } }),
    );
    expect(body).not.toHaveProperty('seed');
    expect(body).toMatchObject({ num_inference_steps: 4, image_size: 'square_hd' });
  });

  it('adds image URLs for edits and never forwards the adapter option', () => {
    const body = toFalInput(input({ options: { image_field: 'image_urls[]' } }), {
      images: ['https://px/a.png'],
      mask: 'https://px/m.png',
    });
    expect(body).toMatchObject({ image_urls: ['https://px/a.png'], mask_url: 'https://px/m.png' });
    expect(body).not.toHaveProperty('image_field');
    expect(body).not.toHaveProperty('image_url');
  });

  it('leaves out the default fields a model lacks (route option omit), never forwarding it', () => {
    const body = toFalInput(
      input({ options: { omit: ['output_format', 'enable_safety_checker'], max_images: 1 } }),
    );
    expect(body).toEqual({
      prompt: 'a red fox in the snow',
      image_size: { width: 1024, height: 768 },
      num_images: 1,
      max_images: 1,
    });
  });
});

describe('falImageFields', () => {
  const urls = { images: ['u1', 'u2'], mask: undefined };

  it('sends one image as image_url and several as image_urls by default', () => {
    expect(falImageFields({ images: ['u1'], mask: undefined }, undefined)).toEqual({
      image_url: 'u1',
    });
    expect(falImageFields(urls, undefined)).toEqual({ image_urls: ['u1', 'u2'] });
  });

  it('uses the field a route names: a list with [], else the first image', () => {
    expect(falImageFields(urls, 'reference_image_urls[]')).toEqual({
      reference_image_urls: ['u1', 'u2'],
    });
    expect(falImageFields(urls, 'image_url')).toEqual({ image_url: 'u1' });
  });
});

describe('falOutputFormat and falModelPath', () => {
  it('asks PNG for WebP, which fal does not write', () => {
    expect(falOutputFormat('jpeg')).toBe('jpeg');
    expect(falOutputFormat('png')).toBe('png');
    expect(falOutputFormat('webp')).toBe('png');
  });

  it('keeps the slashes of model ids and refuses ids that escape the path', () => {
    expect(falModelPath('fal-ai/flux/schnell')).toBe('fal-ai/flux/schnell');
    expect(falModelPath('fal-ai/my model')).toBe('fal-ai/my%20model');
    expect(() => falModelPath('fal-ai/../admin')).toThrow(
      expect.objectContaining({ kind: 'misconfigured' }),
    );
    expect(() => falModelPath('')).toThrow(expect.objectContaining({ kind: 'misconfigured' }));
  });
});
