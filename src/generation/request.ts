import { z } from 'zod';
import type { Catalog } from '../catalog/catalog.js';
import type { Capability, ModelSpec } from '../catalog/schema.js';
import { describeSizes, resolveSize } from '../catalog/sizes.js';
import { invalidRequest, modelRetired, notFound } from '../errors.js';
import type { Background, GenerateInput, OutputFormat } from '../providers/types.js';

/**
 * A request after validation against the API and the model's catalog entry. The image
 * parameters are the ones every provider receives (GenerateInput), plus what Pixapi itself acts on.
 */
export interface ImageRequest extends Omit<GenerateInput, 'model' | 'options'> {
  /** The model that serves: the one asked for, or its replacement after a redirect. */
  model: ModelSpec;
  /** The model the client named (by id or alias), whose lifecycle the answer reports. */
  requestedModel: ModelSpec;
  /** Absent: the operator's default applies (`PIXAPI_DEFAULT_RESPONSE_FORMAT`, else both). */
  responseFormat: 'url' | 'b64_json' | undefined;
  metadata: Record<string, string> | undefined;
  stream: boolean;
  partialImages: number | undefined;
  /** Fields the model declares as pass-through, forwarded to the provider unchanged. */
  passthrough: Record<string, unknown>;
}

interface Field {
  schema: z.ZodType;
  expected: string;
}

const metadataSchema = z
  .record(z.string().min(1).max(64), z.string().max(512))
  .refine((m) => Object.keys(m).length <= 16);

/** The fields of API.md's generation request besides `model` and `prompt`. */
export const GENERATION_FIELDS: Record<string, Field> = {
  n: { schema: z.number().int().min(1).max(10), expected: 'an integer from 1 to 10' },
  size: { schema: z.string().max(16), expected: '"auto" or "WIDTHxHEIGHT"' },
  quality: { schema: z.string().max(16), expected: 'a quality of the model' },
  background: {
    schema: z.enum(['auto', 'opaque', 'transparent']),
    expected: 'one of auto, opaque, transparent',
  },
  output_format: { schema: z.enum(['png', 'jpeg', 'webp']), expected: 'one of png, jpeg, webp' },
  output_compression: {
    schema: z.number().int().min(0).max(100),
    expected: 'an integer from 0 to 100',
  },
  response_format: { schema: z.enum(['url', 'b64_json']), expected: 'url or b64_json' },
  moderation: { schema: z.enum(['auto', 'low']), expected: 'auto or low' },
  seed: {
    schema: z
      .number()
      .int()
      .min(0)
      .max(2 ** 32 - 1),
    expected: 'an integer from 0 to 4294967295',
  },
  user: { schema: z.string().max(256), expected: 'a string of at most 256 characters' },
  metadata: {
    schema: metadataSchema,
    expected: 'an object of at most 16 string values (keys ≤64, values ≤512 characters)',
  },
  stream: { schema: z.boolean(), expected: 'a boolean' },
  partial_images: { schema: z.number().int().min(0).max(3), expected: 'an integer from 0 to 3' },
};

const MAX_PROMPT = 32_000;

function invalid(param: string, expected: string) {
  return invalidRequest(
    'invalid_value',
    `Invalid value for '${param}': expected ${expected}.`,
    param,
  );
}

function requireString(body: Record<string, unknown>, param: string): string {
  const value = body[param];
  if (value === undefined || value === null) {
    throw invalidRequest(
      'missing_required_parameter',
      `Missing required parameter: '${param}'.`,
      param,
    );
  }
  if (typeof value !== 'string') throw invalid(param, 'a string');
  return value;
}

export function asObject(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalidRequest('invalid_body', 'The request body must be a JSON object.');
  }
  return body as Record<string, unknown>;
}

/**
 * Resolves the `model` field to the catalog entry that serves it now and has the capability the
 * endpoint needs. A model past its shutdown answers 410 (`retire`) or is served by its
 * replacement (`redirect`), whose entry then validates the rest of the request and prices it.
 */
export function resolveModel(
  body: Record<string, unknown>,
  catalog: Catalog,
  capability: Capability,
): { model: ModelSpec; requested: ModelSpec } {
  const id = requireString(body, 'model');
  const requested = catalog.find(id);
  if (!requested) {
    throw notFound(
      'model_not_found',
      `The model '${id}' does not exist. See GET /v1/models.`,
      'model',
    );
  }
  const model = catalog.serving(requested);
  if (!model) {
    throw modelRetired(requested.id, requested.shutdown_date, requested.replacement);
  }
  if (!model.capabilities.includes(capability)) {
    throw invalidRequest(
      'unsupported_model',
      `The model '${model.id}' does not support ${capability}.`,
      'model',
    );
  }
  return { model, requested };
}

function checkInList(param: string, value: string, allowed: readonly string[], model: ModelSpec) {
  if (!allowed.includes(value)) {
    throw invalidRequest(
      'invalid_value',
      `Invalid value for '${param}': ${model.id} accepts ${allowed.join(', ')}.`,
      param,
    );
  }
}

/**
 * Validates a request body against API.md and the model's catalog entry. Every 400 names its
 * `param`; fields that are neither known nor declared pass-through by the model are rejected,
 * so that a body can never smuggle provider settings (`api_base`, `price`...).
 *
 * @param extraFields fields the endpoint itself consumes (edit images, webhook_url...)
 */
export function parseImageRequest(
  rawBody: unknown,
  catalog: Catalog,
  options: { capability: Capability; extraFields?: readonly string[] },
): ImageRequest {
  const body = asObject(rawBody);
  const { model, requested } = resolveModel(body, catalog, options.capability);
  const prompt = requireString(body, 'prompt');
  if (prompt.length < 1 || prompt.length > MAX_PROMPT) {
    throw invalid('prompt', `a string of 1 to ${MAX_PROMPT} characters`);
  }

  const values: Record<string, unknown> = {};
  const passthrough: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    if (key === 'model' || key === 'prompt' || options.extraFields?.includes(key)) continue;
    const field = GENERATION_FIELDS[key];
    if (field) {
      if (value === null || value === undefined) continue;
      const parsed = field.schema.safeParse(value);
      if (!parsed.success) throw invalid(key, field.expected);
      values[key] = parsed.data;
    } else if (model.passthrough.includes(key)) {
      passthrough[key] = value;
    } else {
      throw invalidRequest('unknown_parameter', `Unknown parameter: '${key}'.`, key);
    }
  }

  const n = (values.n as number | undefined) ?? 1;
  if (n > model.max_n) throw invalid('n', `at most ${model.max_n} for ${model.id}`);

  const requestedSize = (values.size as string | undefined) ?? 'auto';
  const size = resolveSize(model.sizes, requestedSize);
  if (!size) {
    throw invalidRequest(
      'unsupported_size',
      `Unsupported size '${requestedSize}' for ${model.id}. Accepted: ${describeSizes(model.sizes)}.`,
      'size',
    );
  }

  const quality = (values.quality as string | undefined) ?? 'auto';
  checkInList('quality', quality, model.qualities, model);
  const outputFormat = (values.output_format as OutputFormat | undefined) ?? 'png';
  checkInList('output_format', outputFormat, model.output_formats, model);
  const background = (values.background as Background | undefined) ?? 'auto';
  checkInList('background', background, model.backgrounds, model);
  if (background === 'transparent' && outputFormat === 'jpeg') {
    throw invalidRequest(
      'invalid_value',
      "A transparent background needs output_format 'png' or 'webp'.",
      'background',
    );
  }
  const outputCompression = values.output_compression as number | undefined;
  if (outputCompression !== undefined && outputFormat === 'png') {
    throw invalidRequest(
      'invalid_value',
      "output_compression applies to output_format 'jpeg' or 'webp' only.",
      'output_compression',
    );
  }
  const stream = (values.stream as boolean | undefined) ?? false;
  if (stream && !model.stream) {
    throw invalidRequest(
      'unsupported_parameter',
      `The model '${model.id}' does not stream: remove 'stream'.`,
      'stream',
    );
  }

  return {
    model,
    requestedModel: requested,
    prompt,
    n,
    size: { ...size, requested: requestedSize },
    quality,
    background,
    outputFormat,
    outputCompression,
    responseFormat: values.response_format as 'url' | 'b64_json' | undefined,
    moderation: values.moderation as 'auto' | 'low' | undefined,
    seed: values.seed as number | undefined,
    user: values.user as string | undefined,
    metadata: values.metadata as Record<string, string> | undefined,
    stream,
    partialImages: values.partial_images as number | undefined,
    passthrough,
  };
}
