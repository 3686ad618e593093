import type { EditInput, GenerateInput, ImageSize, InputImage } from '../types.js';
import { nearestAspectRatio } from '../shared/aspect-ratio.js';
import { modelSpec } from './models.js';

/** One part of a Gemini `Content`: text, or an image inlined as base64. */
export type GeminiRequestPart =
  { text: string } | { inline_data: { mime_type: string; data: string } };

export interface GeminiImageConfig {
  aspectRatio?: string;
  imageSize?: string;
}

export interface GeminiGenerationConfig {
  responseModalities: string[];
  imageConfig?: GeminiImageConfig;
  seed?: number;
}

/** The body of `POST /v1beta/models/{model}:generateContent`. */
export interface GenerateContentBody {
  contents: [{ role: 'user'; parts: GeminiRequestPart[] }];
  generationConfig: GeminiGenerationConfig;
}

/**
 * Gemini reads an edit mask only as one more picture, so a text part says what it is. OpenAI's
 * convention is kept: the fully transparent area is the one to change.
 */
export const MASK_NOTE =
  'The next image is an edit mask for the first image: change only the area where the mask is ' +
  'fully transparent and keep everything else exactly as it is.';

const DEFAULT_MODALITIES = ['TEXT', 'IMAGE'];
const SIZE_ORDER = ['512', '1K', '2K', '4K'];

/** The tier as Gemini spells it (`512`, `1K`...), else derived from the longest side. */
function wantedSize(size: ImageSize): string {
  const tier = size.tier.trim().toUpperCase();
  if (tier === '512' || tier === '0.5K' || tier === '512PX') return '512';
  if (/^[124]K$/.test(tier)) return tier;
  const longest = Math.max(size.width, size.height);
  if (longest <= 640) return '512';
  if (longest <= 1536) return '1K';
  if (longest <= 3072) return '2K';
  return '4K';
}

/**
 * The `imageSize` to send: the tier if the model takes it, else the smallest larger size it
 * takes (or its largest); undefined for models that take no `imageSize`.
 */
export function toImageSize(size: ImageSize, supported: readonly string[]): string | undefined {
  if (supported.length === 0) return undefined;
  const wanted = wantedSize(size);
  if (supported.includes(wanted)) return wanted;
  const rank = SIZE_ORDER.indexOf(wanted);
  return supported.find((s) => SIZE_ORDER.indexOf(s) > rank) ?? supported[supported.length - 1];
}

function stringOption(options: Record<string, unknown>, key: string): string | undefined {
  const value = options[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The route option `responseModalities` (e.g. `["IMAGE"]`), else text and image. */
function responseModalities(options: Record<string, unknown>): string[] {
  const value = options.responseModalities;
  if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string')) {
    return value.map((v: string) => v.toUpperCase());
  }
  return [...DEFAULT_MODALITIES];
}

/**
 * `generationConfig` of call number `index` of the n parallel calls.
 *
 * Route options `aspectRatio` and `imageSize`, when set, are sent as given: the catalog owns them
 * and Gemini validates them. With `size: auto` no ratio is sent, so that Gemini follows the
 * reference images of an edit (or its default, 1:1).
 */
export function toGenerationConfig(input: GenerateInput, index: number): GeminiGenerationConfig {
  const spec = modelSpec(input.model);
  const imageConfig: GeminiImageConfig = {};
  const aspectRatio =
    stringOption(input.options, 'aspectRatio') ??
    (input.size.requested === 'auto'
      ? undefined
      : nearestAspectRatio(input.size.width, input.size.height, spec.aspectRatios));
  if (aspectRatio) imageConfig.aspectRatio = aspectRatio;
  const imageSize =
    stringOption(input.options, 'imageSize') ?? toImageSize(input.size, spec.imageSizes);
  if (imageSize) imageConfig.imageSize = imageSize;

  const config: GeminiGenerationConfig = { responseModalities: responseModalities(input.options) };
  if (Object.keys(imageConfig).length > 0) config.imageConfig = imageConfig;
  // Each of the n calls gets its own seed, so that n images with a seed differ from each other
  // and image i is the same whatever n was asked (as with the local provider).
  if (input.seed !== undefined) config.seed = input.seed + index;
  return config;
}

function inlineImage(image: InputImage): GeminiRequestPart {
  return { inline_data: { mime_type: image.contentType, data: image.bytes.toString('base64') } };
}

/** The request of a text-to-image call. */
export function toGenerateBody(input: GenerateInput, index = 0): GenerateContentBody {
  return {
    contents: [{ role: 'user', parts: [{ text: input.prompt }] }],
    generationConfig: toGenerationConfig(input, index),
  };
}

/**
 * The request of an edit: the prompt, then every input image inlined (Gemini takes no image
 * URLs), then the mask, if any, after a text part that says what it is.
 */
export function toEditBody(input: EditInput, index = 0): GenerateContentBody {
  const parts: GeminiRequestPart[] = [{ text: input.prompt }, ...input.images.map(inlineImage)];
  if (input.mask) parts.push({ text: MASK_NOTE }, inlineImage(input.mask));
  return {
    contents: [{ role: 'user', parts }],
    generationConfig: toGenerationConfig(input, index),
  };
}
