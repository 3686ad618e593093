import type { EditInput, GenerateInput, InputImage } from '../../../src/providers/types.js';

/** Adapter inputs for the Gemini adapter tests. */

/** A GenerateInput for tests, 1024x1024 at 1K unless overridden. */
export function geminiInput(overrides: Partial<GenerateInput> = {}): GenerateInput {
  return {
    model: 'gemini-3-pro-image-preview',
    prompt: 'a red fox in the snow',
    n: 1,
    size: { width: 1024, height: 1024, requested: '1024x1024', tier: '1K' },
    quality: 'auto',
    background: 'auto',
    outputFormat: 'png',
    outputCompression: undefined,
    moderation: undefined,
    seed: undefined,
    user: undefined,
    options: {},
    ...overrides,
  };
}

export function fakeInputImage(bytes: Buffer, width = 1, height = 1): InputImage {
  return {
    bytes,
    contentType: 'image/png',
    width,
    height,
    publicUrl: () => Promise.reject(new Error('Gemini takes no image URLs')),
  };
}

export function geminiEditInput(
  images: InputImage[],
  overrides: Partial<EditInput> = {},
): EditInput {
  return { ...geminiInput(), images, mask: undefined, inputFidelity: undefined, ...overrides };
}
