import type { EditInput, GenerateInput } from '../types.js';
import { isDallE3, isGptImageModel } from './models.js';

/** A request body before encoding: JSON for generations, text parts of a multipart edit. */
export type WireFields = Record<string, unknown>;

/**
 * Option keys this adapter decides itself. `seed` is not an OpenAI parameter; `stream` and
 * `partial_images` belong to the streaming call only; `response_format` is set per model family.
 */
const ADAPTER_OWNED = [
  'model',
  'prompt',
  'n',
  'seed',
  'stream',
  'partial_images',
  'response_format',
];

/** Fields that DALL·E 3 refuses: never sent to it, even from route options. */
const NOT_FOR_DALL_E_3 = ['output_format', 'output_compression', 'background', 'moderation'];

/** Drops `undefined` and `null` values, so that a route option set to null removes a field. */
export function compact(fields: WireFields): WireFields {
  return Object.fromEntries(
    Object.entries(fields).filter(([, value]) => value !== undefined && value !== null),
  );
}

/** The route options and pass-through fields, without the keys named. */
export function optionsWithout(
  options: Record<string, unknown>,
  keys: readonly string[],
): WireFields {
  return Object.fromEntries(Object.entries(options).filter(([key]) => !keys.includes(key)));
}

/** `WxH`, the size every OpenAI-style server understands. */
export function explicitSize(input: GenerateInput): string {
  return `${input.size.width}x${input.size.height}`;
}

/** DALL·E 3 has `standard` and `hd` only. */
function dallE3Quality(quality: string): string {
  return quality === 'hd' || quality === 'high' ? 'hd' : 'standard';
}

function sharedFields(input: GenerateInput): WireFields {
  const dallE3 = isDallE3(input.model);
  const omitted = dallE3 ? [...ADAPTER_OWNED, ...NOT_FOR_DALL_E_3] : ADAPTER_OWNED;
  const requested: WireFields = {
    model: input.model,
    prompt: input.prompt,
    n: dallE3 ? 1 : input.n,
    // `auto` is sent as the size it was priced at: OpenAI's own `auto` may pick a larger,
    // dearer size than the catalog charged for.
    size: explicitSize(input),
    quality: dallE3 ? dallE3Quality(input.quality) : input.quality,
    user: input.user,
  };
  if (isGptImageModel(input.model)) {
    requested.output_format = input.outputFormat;
    // OpenAI documents output_compression for jpeg and webp only.
    if (input.outputFormat !== 'png') requested.output_compression = input.outputCompression;
    if (input.background !== 'auto') requested.background = input.background;
  } else {
    // DALL·E answers a URL by default; base64 saves a download from another host.
    requested.response_format = 'b64_json';
  }
  // Route options first: what the client asked for is more specific, where it asked.
  return { ...optionsWithout(input.options, omitted), ...compact(requested) };
}

/**
 * The JSON body of `POST /images/generations`.
 *
 * @example
 * toOpenAIGenerationBody({ model: 'gpt-image-1.5', prompt: 'a fox', n: 2, ... })
 * // { model: 'gpt-image-1.5', prompt: 'a fox', n: 2, size: 'auto', quality: 'auto', output_format: 'png' }
 */
export function toOpenAIGenerationBody(input: GenerateInput): WireFields {
  const fields = sharedFields(input);
  if (isGptImageModel(input.model) && input.moderation) fields.moderation = input.moderation;
  return compact(fields);
}

/**
 * The text parts of a multipart `POST /images/edits`. The multipart edit schema has no
 * `moderation` field (only the JSON form does), so it is not sent: without it OpenAI applies its
 * default filtering, the stricter choice. Unsure whether multipart accepts it.
 */
export function toOpenAIEditFields(input: EditInput): WireFields {
  const fields = sharedFields(input);
  if (isGptImageModel(input.model) && input.inputFidelity) {
    fields.input_fidelity = input.inputFidelity;
  } else if (!isGptImageModel(input.model)) {
    delete fields.quality;
  }
  return compact(fields);
}

/** `partial_images` as the core passes it (in the options), when it is a valid count. */
export function partialImagesOption(options: Record<string, unknown>): number | undefined {
  const value = options.partial_images;
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 3
    ? value
    : undefined;
}

/** The same fields with streaming turned on (GPT image models only). */
export function withStreaming(fields: WireFields, options: Record<string, unknown>): WireFields {
  return compact({ ...fields, stream: true, partial_images: partialImagesOption(options) });
}
