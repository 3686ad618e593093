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

/** What models.list holds besides the image models: Google lists every model of the API. */
const OTHER_MODELS = ['gemini-2.5-flash', 'gemini-3.5-flash', 'gemini-embedding-001'];

/**
 * One page of `GET /v1beta/models`: `models[]` of `Model` objects (`name: "models/<id>"`),
 * `pageSize` per page (default 50) and a `nextPageToken` while more remain.
 */
export function modelsPage(url: URL, maxPageSize = 1000): Record<string, unknown> {
  const all = [...OTHER_MODELS, ...FAKE_GEMINI_MODELS];
  const size = Math.min(Number(url.searchParams.get('pageSize') ?? 50) || 50, maxPageSize);
  const start = Number(url.searchParams.get('pageToken') ?? 0) || 0;
  const page = all.slice(start, start + size).map((id) => ({
    name: `models/${id}`,
    version: '001',
    displayName: id,
    supportedGenerationMethods: ['generateContent', 'countTokens'],
  }));
  const next = start + size < all.length ? { nextPageToken: String(start + size) } : {};
  return { models: page, ...next };
}
