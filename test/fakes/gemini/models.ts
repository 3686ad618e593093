export const FAKE_GEMINI_KEY = 'fake-gemini-key-0123456789';
/**
 * The image models Gemini serves today. The preview ids were shut down on 2026-06-25 (Google's
 * deprecations page) and, as upstream, answer 404 NOT_FOUND like any unknown id.
 */
export const FAKE_GEMINI_MODELS = [
  'gemini-2.5-flash-image',
  'gemini-3.1-flash-image',
  'gemini-3-pro-image',
] as const;

/** The aspect ratios and image sizes each model accepts. */
const COMMON_RATIOS = ['1:1', '2:3', '3:2', '3:4', '4:3', '4:5', '5:4', '9:16', '16:9', '21:9'];
export const MODEL_LIMITS: Record<string, { ratios: string[]; sizes: string[] }> = {
  'gemini-2.5-flash-image': { ratios: COMMON_RATIOS, sizes: [] },
  'gemini-3.1-flash-image': {
    ratios: [...COMMON_RATIOS, '1:4', '4:1', '1:8', '8:1'],
    sizes: ['512', '1K', '2K', '4K'],
  },
  'gemini-3-pro-image': { ratios: COMMON_RATIOS, sizes: ['1K', '2K', '4K'] },
};

/** Output image tokens by `imageSize` (Gemini 3 models; 2.5 Flash Image is always 1290). */
export const TOKENS_BY_SIZE: Record<string, number> = {
  '512': 747,
  '1K': 1120,
  '2K': 1120,
  '4K': 2000,
};
