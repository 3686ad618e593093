import { nearestAspectRatio } from '../shared/aspect-ratio.js';
import type { GenerateInput } from '../types.js';
import type { BflModelProfile } from './models.js';
import { fitPixels } from './models.js';

/**
 * Fields the adapter sets itself and never takes from options: the request decides them, and
 * a webhook would send our results to a host the operator did not choose.
 */
const RESERVED = new Set([
  'prompt',
  'width',
  'height',
  'aspect_ratio',
  'seed',
  'output_format',
  'webhook_url',
  'webhook_secret',
]);

const isImageField = (key: string) => /^input_image(_\d+)?$/.test(key);

/** BFL's documented default, sent explicitly so that every request is reproducible. */
export const DEFAULT_SAFETY_TOLERANCE = 2;

export interface BflSubmission {
  body: Record<string, unknown>;
  /** Option keys left out because the model does not document them. */
  dropped: string[];
}

/** `input_image`, `input_image_2`, `input_image_3`... */
export function inputImageField(index: number): string {
  return index === 0 ? 'input_image' : `input_image_${index + 1}`;
}

/**
 * The JSON body of one `POST /v1/{model}`. BFL returns one image per task, so for n images the
 * adapter sends n bodies; `index` offsets the seed so that the n images differ while each stays
 * reproducible.
 *
 * @param images base64 of the reference images (no `data:` prefix), first one first.
 */
export function toUpstreamBody(
  input: GenerateInput,
  profile: BflModelProfile,
  extra: { index: number; images: readonly string[] },
): BflSubmission {
  const body: Record<string, unknown> = { prompt: input.prompt };

  const { width, height } = input.size;
  if (profile.sizing.mode === 'aspect') {
    body.aspect_ratio = nearestAspectRatio(width, height, profile.sizing.ratios);
  } else {
    Object.assign(body, fitPixels(width, height, profile.sizing));
  }

  if (input.seed !== undefined) body.seed = input.seed + extra.index;
  // BFL renders JPEG or PNG only; Pixapi transcodes to WebP afterwards when asked.
  body.output_format = input.outputFormat === 'jpeg' ? 'jpeg' : 'png';
  // `moderation` has no BFL counterpart: the route or the client sets safety_tolerance.
  body.safety_tolerance = DEFAULT_SAFETY_TOLERANCE;

  const dropped: string[] = [];
  for (const [key, value] of Object.entries(input.options)) {
    if (value === undefined) continue;
    const allowed =
      !RESERVED.has(key) &&
      !isImageField(key) &&
      (profile.optionKeys === undefined || profile.optionKeys.includes(key));
    if (allowed) body[key] = value;
    else dropped.push(key);
  }

  extra.images.forEach((b64, i) => {
    body[inputImageField(i)] = b64;
  });
  return { body, dropped };
}
