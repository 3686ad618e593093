import { describe, expect, it } from 'vitest';
import type { EditInput } from '../types.js';
import {
  partialImagesOption,
  toOpenAIEditFields,
  toOpenAIGenerationBody,
  withStreaming,
} from './request.js';
import { generateInput } from '../../../test/helpers/provider-fixtures.js';

const input = generateInput;

function editInput(overrides: Partial<EditInput> = {}): EditInput {
  return { ...input(), images: [], mask: undefined, inputFidelity: undefined, ...overrides };
}

describe('toOpenAIGenerationBody', () => {
  it('maps a GPT image request without response_format or seed', () => {
    const body = toOpenAIGenerationBody(
      input({
        n: 2,
        quality: 'high',
        background: 'transparent',
        outputFormat: 'webp',
        outputCompression: 80,
        moderation: 'low',
        seed: 42,
        user: 'end-user-7',
        options: { response_format: 'url', seed: 1, stream: true, partial_images: 2 },
      }),
    );
    expect(body).toEqual({
      model: 'gpt-image-1.5',
      prompt: 'a red fox in the snow',
      n: 2,
      size: '1024x1024',
      quality: 'high',
      background: 'transparent',
      output_format: 'webp',
      output_compression: 80,
      moderation: 'low',
      user: 'end-user-7',
    });
  });

  it('sends auto as the priced size (1K), and omits background auto', () => {
    const body = toOpenAIGenerationBody(
      input({ size: { width: 1024, height: 1024, requested: 'auto', tier: '1K' } }),
    );
    expect(body.size).toBe('1024x1024');
    expect(body).not.toHaveProperty('background');
    expect(body).not.toHaveProperty('output_compression');
  });

  it('maps DALL·E 3: one image, base64, standard/hd, style from options, no GPT-only fields', () => {
    const body = toOpenAIGenerationBody(
      input({
        model: 'dall-e-3',
        n: 3,
        size: { width: 1792, height: 1024, requested: '1792x1024', tier: 'large' },
        background: 'opaque',
        outputFormat: 'png',
        moderation: 'low',
        options: { style: 'natural', output_format: 'png', moderation: 'auto' },
      }),
    );
    expect(body).toEqual({
      model: 'dall-e-3',
      prompt: 'a red fox in the snow',
      n: 1,
      size: '1792x1024',
      quality: 'standard',
      response_format: 'b64_json',
      style: 'natural',
    });
    expect(toOpenAIGenerationBody(input({ model: 'dall-e-3', quality: 'hd' })).quality).toBe('hd');
  });

  it('never sends size auto to DALL·E 3', () => {
    const body = toOpenAIGenerationBody(
      input({
        model: 'dall-e-3',
        size: { width: 1024, height: 1024, requested: 'auto', tier: '1K' },
      }),
    );
    expect(body.size).toBe('1024x1024');
  });

  it('lets the client request win over route options, and null options remove fields', () => {
    const body = toOpenAIGenerationBody(
      input({ quality: 'low', options: { quality: 'high', moderation: 'low', user: null } }),
    );
    expect(body.quality).toBe('low');
    expect(body.moderation).toBe('low');
    expect(body).not.toHaveProperty('user');
  });
});

describe('toOpenAIEditFields', () => {
  it('adds input_fidelity and leaves out moderation (not in the multipart schema)', () => {
    const fields = toOpenAIEditFields(editInput({ inputFidelity: 'high', moderation: 'low' }));
    expect(fields).toEqual({
      model: 'gpt-image-1.5',
      prompt: 'a red fox in the snow',
      n: 1,
      size: '1024x1024',
      quality: 'auto',
      output_format: 'png',
      input_fidelity: 'high',
    });
  });

  it('asks DALL·E 2 for base64 and sends no GPT-only fields', () => {
    const fields = toOpenAIEditFields(editInput({ model: 'dall-e-2', inputFidelity: 'high' }));
    expect(fields).toEqual({
      model: 'dall-e-2',
      prompt: 'a red fox in the snow',
      n: 1,
      size: '1024x1024',
      response_format: 'b64_json',
    });
  });
});

describe('streaming fields', () => {
  it('reads partial_images from the options once and turns stream on', () => {
    const options = { partial_images: 2 };
    const body = withStreaming(toOpenAIGenerationBody(input({ options })), options);
    expect(body.stream).toBe(true);
    expect(body.partial_images).toBe(2);
  });

  it('ignores partial_images values OpenAI would refuse', () => {
    expect(partialImagesOption({ partial_images: 4 })).toBeUndefined();
    expect(partialImagesOption({ partial_images: '2' })).toBeUndefined();
    expect(partialImagesOption({ partial_images: 0 })).toBe(0);
    expect(withStreaming({ model: 'm' }, {})).toEqual({ model: 'm', stream: true });
  });
});
