import type { EditInput, GenerateInput } from '../types.js';
import { compact, explicitSize, optionsWithout } from '../openai/request.js';
import type { WireFields } from '../openai/request.js';

/** Fields the core may leave in the options that belong to other calls. */
const NOT_FORWARDED = ['stream', 'partial_images'];

/**
 * The body for a self-hosted OpenAI-style server (LocalAI, stable-diffusion.cpp's server...).
 * Many of them reject unknown fields, so only `model`, `prompt`, `n`, `size` and
 * `response_format` are sent, plus the route's options (where an operator adds `seed`,
 * `negative_prompt`, `steps`... for a server that takes them, or sets `response_format: null`
 * for one that refuses it). `b64_json` is asked for, but a `url` answer is accepted too.
 *
 * @example
 * toCompatibleGenerationBody({ model: 'sd-turbo', prompt: 'a fox', n: 1, size: { width: 512, height: 512, ... }, ... })
 * // { response_format: 'b64_json', model: 'sd-turbo', prompt: 'a fox', n: 1, size: '512x512' }
 */
export function toCompatibleGenerationBody(input: GenerateInput): WireFields {
  return compact({
    response_format: 'b64_json',
    ...optionsWithout(input.options, NOT_FORWARDED),
    model: input.model,
    prompt: input.prompt,
    n: input.n,
    size: explicitSize(input),
  });
}

/** The text parts of a multipart edit: the same fields as a generation. */
export function toCompatibleEditFields(input: EditInput): WireFields {
  return toCompatibleGenerationBody(input);
}
