import { describe, expect, it } from 'vitest';
import type { GenerateInput } from '../types.js';
import { toCompatibleGenerationBody } from './request.js';

const input: GenerateInput = {
  model: 'sd-turbo',
  prompt: 'a lighthouse',
  n: 2,
  size: { width: 768, height: 512, requested: 'auto', tier: 'default' },
  quality: 'high',
  background: 'transparent',
  outputFormat: 'webp',
  outputCompression: 50,
  moderation: 'low',
  seed: 9,
  user: 'u1',
  options: {},
};

describe('toCompatibleGenerationBody', () => {
  it('sends only model, prompt, n, an explicit size and response_format', () => {
    expect(toCompatibleGenerationBody(input)).toEqual({
      response_format: 'b64_json',
      model: 'sd-turbo',
      prompt: 'a lighthouse',
      n: 2,
      size: '768x512',
    });
  });

  it('adds route options, never lets them replace the request, and null removes response_format', () => {
    const body = toCompatibleGenerationBody({
      ...input,
      options: { steps: 4, model: 'other', response_format: null, stream: true, partial_images: 1 },
    });
    expect(body).toEqual({
      steps: 4,
      model: 'sd-turbo',
      prompt: 'a lighthouse',
      n: 2,
      size: '768x512',
    });
  });
});
