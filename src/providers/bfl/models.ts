/**
 * What each BFL model endpoint takes, as data: how it is sized, how many reference images it
 * accepts and which extra fields (route options, client pass-through) it documents. BFL's
 * request schemas forbid unknown fields (422 `extra_forbidden`), so for the models listed here
 * options the model does not document are dropped rather than sent.
 *
 * Sources: docs.bfl.ai API reference (late 2026). Unsure points are marked below.
 */

export type BflSizing =
  /** `width`/`height` in pixels, rounded to `multiple`, within `min`..`max`. */
  | { mode: 'pixels'; multiple: number; min: number; max: number | undefined }
  /** `aspect_ratio` as a `W:H` string, the nearest of `ratios` to the requested size. */
  | { mode: 'aspect'; ratios: readonly string[] };

export interface BflModelProfile {
  sizing: BflSizing;
  /** Reference images sent as `input_image`, `input_image_2`...; 0: the model takes none. */
  maxInputImages: number;
  /** Option keys the model documents; undefined (unknown models): every option is sent. */
  optionKeys: readonly string[] | undefined;
}

/**
 * Ultra and Kontext document "an aspect ratio between 21:9 and 9:21" as a string. Unsure whether
 * any `W:H` in that range is accepted; we snap to the common ratios their docs show.
 */
export const BFL_ASPECT_RATIOS: readonly string[] = [
  '21:9',
  '16:9',
  '3:2',
  '4:3',
  '5:4',
  '1:1',
  '4:5',
  '3:4',
  '2:3',
  '9:16',
  '9:21',
];

const FLUX_2: BflModelProfile = {
  sizing: { mode: 'pixels', multiple: 16, min: 64, max: undefined },
  maxInputImages: 8,
  optionKeys: ['safety_tolerance'],
};

const KONTEXT: BflModelProfile = {
  sizing: { mode: 'aspect', ratios: BFL_ASPECT_RATIOS },
  // input_image_2..4 are documented as "experimental multiref".
  maxInputImages: 4,
  optionKeys: ['safety_tolerance', 'prompt_upsampling'],
};

const PROFILES: Readonly<Record<string, BflModelProfile>> = {
  'flux-2-pro': FLUX_2,
  'flux-2-max': FLUX_2,
  'flux-2-flex': {
    ...FLUX_2,
    optionKeys: ['safety_tolerance', 'prompt_upsampling', 'guidance', 'steps'],
  },
  // FLUX1.1 [pro] documents multiples of 32 from 256 to 1440 (stricter than the catalog's 16).
  'flux-pro-1.1': {
    sizing: { mode: 'pixels', multiple: 32, min: 256, max: 1440 },
    maxInputImages: 0,
    optionKeys: ['safety_tolerance', 'prompt_upsampling', 'image_prompt'],
  },
  'flux-pro-1.1-ultra': {
    sizing: { mode: 'aspect', ratios: BFL_ASPECT_RATIOS },
    maxInputImages: 0,
    optionKeys: [
      'safety_tolerance',
      'prompt_upsampling',
      'raw',
      'image_prompt',
      'image_prompt_strength',
    ],
  },
  'flux-kontext-pro': KONTEXT,
  'flux-kontext-max': KONTEXT,
};

/** The profile of a model; unknown models get a tolerant guess from their name. */
export function profileFor(model: string): BflModelProfile {
  const known = PROFILES[model];
  if (known) return known;
  if (model.startsWith('flux-kontext')) return { ...KONTEXT, optionKeys: undefined };
  if (model.startsWith('flux-2')) return { ...FLUX_2, optionKeys: undefined };
  return {
    sizing: { mode: 'pixels', multiple: 16, min: 64, max: undefined },
    maxInputImages: 4,
    optionKeys: undefined,
  };
}

/**
 * Fits a size to a pixel-sized model: scaled down (keeping the ratio) under `max`, each side
 * rounded to the nearest `multiple` and kept within `min`..`max`.
 *
 * @example fitPixels(1024, 768, { mode: 'pixels', multiple: 32, min: 256, max: 1440 }) // { width: 1024, height: 768 }
 */
export function fitPixels(
  width: number,
  height: number,
  sizing: Extract<BflSizing, { mode: 'pixels' }>,
): { width: number; height: number } {
  const { multiple, min, max } = sizing;
  const scale =
    max !== undefined && Math.max(width, height) > max ? max / Math.max(width, height) : 1;
  const fit = (side: number) => {
    const rounded = Math.max(min, Math.round((side * scale) / multiple) * multiple);
    return max === undefined ? rounded : Math.min(max, rounded);
  };
  return { width: fit(width), height: fit(height) };
}
