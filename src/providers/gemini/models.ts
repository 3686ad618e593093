/**
 * What each Gemini image model accepts in `generationConfig.imageConfig`, as data. A model id that
 * is not listed (a new preview, a stable rename) gets the default row: the ten common ratios and
 * the 1K/2K/4K sizes that Gemini 3 image models document.
 */
export interface GeminiModelSpec {
  /** Aspect ratios the model documents, as `W:H` strings. */
  aspectRatios: readonly string[];
  /**
   * `imageSize` values the model takes, smallest first; empty when the model takes no
   * `imageSize` at all (gemini-2.5-flash-image renders about 1024 px only).
   */
  imageSizes: readonly string[];
}

export const COMMON_ASPECT_RATIOS = [
  '1:1',
  '2:3',
  '3:2',
  '3:4',
  '4:3',
  '4:5',
  '5:4',
  '9:16',
  '16:9',
  '21:9',
] as const;

const DEFAULT_SPEC: GeminiModelSpec = {
  aspectRatios: COMMON_ASPECT_RATIOS,
  imageSizes: ['1K', '2K', '4K'],
};

/** Matched by prefix, so that `-preview` and dated variants share a row. Longest prefix wins. */
const MODEL_SPECS: ReadonlyArray<readonly [prefix: string, spec: GeminiModelSpec]> = [
  ['gemini-2.5-flash-image', { aspectRatios: COMMON_ASPECT_RATIOS, imageSizes: [] }],
  [
    'gemini-3.1-flash-image',
    {
      aspectRatios: [...COMMON_ASPECT_RATIOS, '1:4', '4:1', '1:8', '8:1'],
      // Unsure: Google's pages and resellers spell the smallest size "512" (also "0.5K"); we
      // send "512", the value the Gemini API reference lists beside 1K/2K/4K.
      imageSizes: ['512', '1K', '2K', '4K'],
    },
  ],
  ['gemini-3-pro-image', DEFAULT_SPEC],
];

/** The capability row of an upstream model id (`models/` prefix tolerated). */
export function modelSpec(model: string): GeminiModelSpec {
  const id = model.replace(/^models\//, '');
  let best: GeminiModelSpec = DEFAULT_SPEC;
  let bestLength = -1;
  for (const [prefix, spec] of MODEL_SPECS) {
    if (id.startsWith(prefix) && prefix.length > bestLength) {
      best = spec;
      bestLength = prefix.length;
    }
  }
  return best;
}
