import type { EditInput, GenerateInput, InputImage } from '../../../src/providers/types.js';
import { generateInput } from '../../helpers/provider-fixtures.js';

/** Adapter inputs for the Gemini adapter tests. */

/** A GenerateInput for tests, 1024x1024 at 1K unless overridden. */
export function geminiInput(overrides: Partial<GenerateInput> = {}): GenerateInput {
  return generateInput({ model: 'gemini-3-pro-image', ...overrides });
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
