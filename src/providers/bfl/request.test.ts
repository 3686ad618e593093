import { describe, expect, it } from 'vitest';
import type { GenerateInput } from '../types.js';
import { profileFor } from './models.js';
import { inputImageField, toUpstreamBody } from './request.js';
import { generateInput, sized } from '../../../test/helpers/provider-fixtures.js';

const input = (overrides: Partial<GenerateInput> = {}): GenerateInput =>
  generateInput({
    model: 'flux-2-pro',
    prompt: 'a red fox in snow',
    size: sized(1024, 768, 'free'),
    ...overrides,
  });

const noImages = { index: 0, images: [] };

describe('toUpstreamBody', () => {
  it('maps a FLUX.2 request to width/height with the default safety tolerance', () => {
    const { body, dropped } = toUpstreamBody(input(), profileFor('flux-2-pro'), noImages);
    expect(body).toEqual({
      prompt: 'a red fox in snow',
      width: 1024,
      height: 768,
      output_format: 'png',
      safety_tolerance: 2,
    });
    expect(dropped).toEqual([]);
  });

  it('sends aspect_ratio to Kontext and Ultra', () => {
    const size = { width: 1920, height: 1088, requested: '1920x1088', tier: 'free' };
    for (const model of ['flux-kontext-pro', 'flux-pro-1.1-ultra']) {
      const { body } = toUpstreamBody(input({ model, size }), profileFor(model), noImages);
      expect(body.aspect_ratio).toBe('16:9');
      expect(body).not.toHaveProperty('width');
      expect(body).not.toHaveProperty('height');
    }
  });

  it('asks PNG for WebP and keeps JPEG', () => {
    const webp = toUpstreamBody(
      input({ outputFormat: 'webp' }),
      profileFor('flux-2-pro'),
      noImages,
    );
    const jpeg = toUpstreamBody(
      input({ outputFormat: 'jpeg' }),
      profileFor('flux-2-pro'),
      noImages,
    );
    expect(webp.body.output_format).toBe('png');
    expect(jpeg.body.output_format).toBe('jpeg');
  });

  it('offsets the seed by the image index', () => {
    const profile = profileFor('flux-2-pro');
    expect(toUpstreamBody(input({ seed: 41 }), profile, { index: 2, images: [] }).body.seed).toBe(
      43,
    );
    expect(toUpstreamBody(input(), profile, { index: 2, images: [] }).body).not.toHaveProperty(
      'seed',
    );
  });

  it('lets options override the safety tolerance but never the request fields', () => {
    const options = {
      safety_tolerance: 5,
      prompt: 'injected',
      width: 64,
      webhook_url: 'https://attacker.example/hook',
      input_image: 'abc',
    };
    const { body, dropped } = toUpstreamBody(
      input({ options }),
      profileFor('flux-2-pro'),
      noImages,
    );
    expect(body).toMatchObject({ safety_tolerance: 5, prompt: 'a red fox in snow', width: 1024 });
    expect(body).not.toHaveProperty('webhook_url');
    expect(body).not.toHaveProperty('input_image');
    expect(dropped.sort()).toEqual(['input_image', 'prompt', 'webhook_url', 'width']);
  });

  it('drops options a known model does not document, and passes them to unknown models', () => {
    const options = { prompt_upsampling: true, raw: true };
    const known = toUpstreamBody(input({ options }), profileFor('flux-2-pro'), noImages);
    expect(known.dropped.sort()).toEqual(['prompt_upsampling', 'raw']);
    const kontext = toUpstreamBody(
      input({ model: 'flux-kontext-pro', options }),
      profileFor('flux-kontext-pro'),
      noImages,
    );
    expect(kontext.body.prompt_upsampling).toBe(true);
    expect(kontext.dropped).toEqual(['raw']);
    const unknown = toUpstreamBody(
      input({ model: 'flux-2-klein', options }),
      profileFor('flux-2-klein'),
      noImages,
    );
    expect(unknown.body).toMatchObject(options);
  });

  it('numbers the reference images input_image, input_image_2...', () => {
    const { body } = toUpstreamBody(input(), profileFor('flux-2-pro'), {
      index: 0,
      images: ['AAA', 'BBB', 'CCC'],
    });
    expect(body).toMatchObject({ input_image: 'AAA', input_image_2: 'BBB', input_image_3: 'CCC' });
    expect(inputImageField(7)).toBe('input_image_8');
  });
});
