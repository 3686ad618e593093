import { UpstreamFailure } from '../errors.js';
import type { EditImageUrls } from '../shared/edit-urls.js';
import type { GenerateInput, OutputFormat } from '../types.js';

/**
 * Pure mapping of Pixapi's request to a fal model's input JSON (the body of
 * `POST {base}/{model_id}`). Every fal model has its own schema; this fits the text-to-image and
 * image-edit models of the FLUX family, and route options fill in or override the rest.
 */

/**
 * Route options read by this adapter, never forwarded upstream: `image_field` (below) and
 * `omit`, the default fields a model's schema lacks (fal refuses unknown input fields), e.g.
 * `["output_format"]` for Seedream.
 */
export const FAL_ADAPTER_OPTIONS = ['image_field', 'omit'] as const;

/**
 * The URL path of a model id: `fal-ai/flux/schnell` stays as it is (ids contain slashes), each
 * segment encoded. An id that could escape the path is a catalog mistake.
 *
 * @example
 * falModelPath('fal-ai/flux/schnell'); // 'fal-ai/flux/schnell'
 */
export function falModelPath(model: string): string {
  const segments = model.split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..')) {
    throw new UpstreamFailure('misconfigured', `fal: invalid model id in the catalog: ${model}`);
  }
  return segments.map(encodeURIComponent).join('/');
}

/** fal's image models write JPEG or PNG; WebP is asked as PNG (lossless) and Pixapi converts. */
export function falOutputFormat(format: OutputFormat): 'jpeg' | 'png' {
  return format === 'jpeg' ? 'jpeg' : 'png';
}

/**
 * The input image fields of an edit. fal models take URLs: `image_url` (one image, e.g. FLUX
 * Kontext) or `image_urls` (a list, e.g. Nano Banana edit). By default one image goes to
 * `image_url` and several to `image_urls`. The route option `image_field` names the field
 * instead; a trailing `[]` (`"image_urls[]"`) sends every image as a list, otherwise only the
 * first image is sent. A mask goes to `mask_url`.
 */
export function falImageFields(urls: EditImageUrls, imageField: unknown): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  const named = typeof imageField === 'string' && imageField.trim() !== '' ? imageField.trim() : '';
  if (named.endsWith('[]')) fields[named.slice(0, -2)] = urls.images;
  else if (named) fields[named] = urls.images[0];
  else if (urls.images.length > 1) fields.image_urls = urls.images;
  else fields.image_url = urls.images[0];
  if (urls.mask) fields.mask_url = urls.mask;
  return fields;
}

/** Route and pass-through options minus the adapter's own. */
function forwardedOptions(options: Record<string, unknown>): Record<string, unknown> {
  const rest = { ...options };
  for (const key of FAL_ADAPTER_OPTIONS) delete rest[key];
  return rest;
}

/**
 * The model input: prompt, size, count, seed, format and the safety checker on; edits add the
 * image URLs. Options come last so that a route can override any default.
 *
 * @example
 * toFalInput({ prompt: 'a fox', n: 2, size: { width: 1024, height: 768 }, ... });
 * // { prompt: 'a fox', image_size: { width: 1024, height: 768 }, num_images: 2,
 * //   output_format: 'png', enable_safety_checker: true }
 */
export function toFalInput(input: GenerateInput, urls?: EditImageUrls): Record<string, unknown> {
  const body: Record<string, unknown> = {
    prompt: input.prompt,
    image_size: { width: input.size.width, height: input.size.height },
    num_images: input.n,
    ...(input.seed === undefined ? {} : { seed: input.seed }),
    output_format: falOutputFormat(input.outputFormat),
    enable_safety_checker: true,
    ...(urls ? falImageFields(urls, input.options.image_field) : {}),
  };
  const omit = input.options.omit;
  if (Array.isArray(omit))
    for (const field of omit) if (typeof field === 'string') delete body[field];
  return { ...body, ...forwardedOptions(input.options) };
}
