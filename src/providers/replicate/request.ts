import { UpstreamFailure } from '../errors.js';
import { nearestAspectRatio } from '../shared/aspect-ratio.js';
import type { EditImageUrls } from '../shared/edit-urls.js';
import type { GenerateInput, OutputFormat } from '../types.js';

/**
 * Pure mapping of Pixapi's request to a Replicate prediction: which endpoint (official model or
 * version) and the model's `input` object. Inputs differ per model; these defaults fit the
 * FLUX models Replicate serves (`black-forest-labs/flux-schnell`, `flux-dev`, `flux-kontext-*`),
 * and route options adjust or extend them.
 */

/**
 * Route options read by this adapter, never forwarded upstream:
 * - `image_field`: the input field of edit images (default `input_image`, one image); a
 *   trailing `[]` (`"image_input[]"`) sends every image as a list.
 * - `size_mode`: `"aspect_ratio"` (default) or `"dimensions"` (`width` + `height`).
 * - `max_outputs`: outputs one prediction can give; n above it is split into parallel
 *   predictions. With 1, `num_outputs` is not sent (models without that input).
 * - `aspect_ratios`: the ratios the model accepts, when not FLUX's (Luma Photon, Ideogram).
 */
export const REPLICATE_ADAPTER_OPTIONS = [
  'image_field',
  'size_mode',
  'max_outputs',
  'aspect_ratios',
] as const;

export type ReplicateTarget =
  { kind: 'model'; owner: string; name: string } | { kind: 'version'; version: string };

/**
 * The prediction endpoint for a route's model id: `owner/name` (official models, `POST
 * /v1/models/{owner}/{name}/predictions`), or `owner/name:version` / a bare version id
 * (`POST /v1/predictions` with `version`).
 *
 * @example
 * parseReplicateModel('black-forest-labs/flux-schnell'); // { kind: 'model', ... }
 */
export function parseReplicateModel(model: string): ReplicateTarget {
  const id = model.trim();
  if (/^[0-9a-f]{64}$/i.test(id)) return { kind: 'version', version: id };
  const versioned = /^[\w.-]+\/[\w.-]+:([0-9a-f]{64})$/i.exec(id);
  if (versioned?.[1]) return { kind: 'version', version: versioned[1] };
  const official = /^([\w.-]+)\/([\w.-]+)$/.exec(id);
  if (official?.[1] && official[2] && !id.includes('..')) {
    return { kind: 'model', owner: official[1], name: official[2] };
  }
  throw new UpstreamFailure(
    'misconfigured',
    `replicate: invalid model id in the catalog: ${model}`,
  );
}

/** The path (after the base URL) that creates a prediction for this target. */
export function predictionsPath(target: ReplicateTarget): string {
  return target.kind === 'model'
    ? `/v1/models/${encodeURIComponent(target.owner)}/${encodeURIComponent(target.name)}/predictions`
    : '/v1/predictions';
}

/**
 * The aspect ratios FLUX models on Replicate accept. FLUX on Replicate sizes images by
 * `aspect_ratio` plus a `megapixels` setting (default 1 MP) rather than by pixels; `megapixels`
 * is left to the model's default or to a route option.
 */
export const REPLICATE_ASPECT_RATIOS = [
  '1:1',
  '16:9',
  '21:9',
  '3:2',
  '2:3',
  '4:5',
  '5:4',
  '3:4',
  '4:3',
  '9:16',
  '9:21',
] as const;

/** Replicate's FLUX models write `webp`, `jpg` or `png`. */
export function replicateOutputFormat(format: OutputFormat): 'webp' | 'jpg' | 'png' {
  return format === 'jpeg' ? 'jpg' : format;
}

/**
 * How many outputs each prediction asks for: one prediction for all n, unless the route's
 * `max_outputs` caps it.
 *
 * @example
 * splitOutputs(5, 2); // [2, 2, 1]
 */
export function splitOutputs(n: number, maxOutputs: unknown): number[] {
  const max =
    typeof maxOutputs === 'number' && Number.isInteger(maxOutputs) && maxOutputs >= 1
      ? maxOutputs
      : n;
  const counts: number[] = [];
  for (let left = n; left > 0; left -= max) counts.push(Math.min(max, left));
  return counts;
}

/**
 * The input image fields of an edit. Replicate models take URLs; FLUX Kontext reads one
 * `input_image`, which is the default. A route naming a list field (`"image_input[]"`, as
 * Nano Banana on Replicate) gets every image.
 */
export function replicateImageFields(
  urls: EditImageUrls,
  imageField: unknown,
): Record<string, unknown> {
  const named = typeof imageField === 'string' && imageField.trim() !== '' ? imageField.trim() : '';
  const fields: Record<string, unknown> = named.endsWith('[]')
    ? { [named.slice(0, -2)]: urls.images }
    : { [named || 'input_image']: urls.images[0] };
  if (urls.mask) fields.mask = urls.mask;
  return fields;
}

function sizeFields(input: GenerateInput, isEdit: boolean): Record<string, unknown> {
  if (input.options.size_mode === 'dimensions') {
    return { width: input.size.width, height: input.size.height };
  }
  // An edit without an explicit size keeps the model's default, which for Kontext is to match
  // the input image.
  if (isEdit && input.size.requested === 'auto') return {};
  const listed = input.options.aspect_ratios;
  const ratios =
    Array.isArray(listed) && listed.length > 0 && listed.every((r) => typeof r === 'string')
      ? (listed as string[])
      : REPLICATE_ASPECT_RATIOS;
  return { aspect_ratio: nearestAspectRatio(input.size.width, input.size.height, ratios) };
}

function forwardedOptions(options: Record<string, unknown>): Record<string, unknown> {
  const rest = { ...options };
  for (const key of REPLICATE_ADAPTER_OPTIONS) delete rest[key];
  return rest;
}

export interface ReplicateInputPart {
  /** Outputs this prediction asks for. */
  count: number;
  /** Index of its first image among the n, to give each prediction its own seed. */
  offset: number;
}

/**
 * The prediction's `input`. Options come last so that a route can override any default.
 *
 * @example
 * toReplicateInput({ prompt: 'a fox', n: 2, size: { width: 1024, height: 576 }, ... });
 * // { prompt: 'a fox', aspect_ratio: '16:9', num_outputs: 2, output_format: 'webp' }
 */
export function toReplicateInput(
  input: GenerateInput,
  part: ReplicateInputPart = { count: input.n, offset: 0 },
  urls?: EditImageUrls,
): Record<string, unknown> {
  const sendsCount = input.options.max_outputs !== 1;
  return {
    prompt: input.prompt,
    ...sizeFields(input, urls !== undefined),
    ...(sendsCount ? { num_outputs: part.count } : {}),
    ...(input.seed === undefined ? {} : { seed: input.seed + part.offset }),
    output_format: replicateOutputFormat(input.outputFormat),
    ...(urls ? replicateImageFields(urls, input.options.image_field) : {}),
    ...forwardedOptions(input.options),
  };
}
