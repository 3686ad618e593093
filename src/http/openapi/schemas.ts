import { z } from 'zod';
import { GENERATION_FIELDS } from '../../generation/request.js';

/**
 * JSON Schemas (2020-12, as OpenAPI 3.1 uses) of the API's bodies. Request fields come from the
 * zod schemas the request parser validates with, so the reference cannot promise a field the
 * parser rejects; response schemas are checked against real responses in test/openapi.test.ts.
 */

export type JsonSchema = Record<string, unknown>;

function fromZod(schema: z.ZodType, description: string): JsonSchema {
  const json: JsonSchema = { ...z.toJSONSchema(schema, { unrepresentable: 'any' }) };
  // The document declares its dialect once; a `$schema` per field would be noise.
  delete json.$schema;
  return { ...json, description };
}

const str = (description: string): JsonSchema => ({ type: 'string', description });
const int = (description: string): JsonSchema => ({ type: 'integer', description });
const num = (description: string): JsonSchema => ({ type: 'number', description });
const nullable = (schema: JsonSchema): JsonSchema => ({ ...schema, type: [schema.type, 'null'] });

/** OpenAI's error shape plus the request id. */
export const errorSchema: JsonSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['message', 'type', 'code', 'request_id'],
      properties: {
        message: str('What went wrong, for a human.'),
        type: str('invalid_request_error, authentication_error, server_error...'),
        param: nullable(str('The request field at fault, when there is one.')),
        code: nullable(str('A stable machine-readable code (model_not_found, ...).')),
        request_id: str('Quote it to support.'),
      },
    },
  },
};

const generationFields = Object.fromEntries(
  Object.entries(GENERATION_FIELDS).map(([name, field]) => [
    name,
    fromZod(field.schema, `Expected ${field.expected}.`),
  ]),
);

/** `POST /v1/images/generations` (OpenAI's request plus Pixapi's `seed` and `metadata`). */
export const generationRequestSchema: JsonSchema = {
  type: 'object',
  required: ['model', 'prompt'],
  properties: {
    model: str('A model id or alias of GET /v1/models.'),
    prompt: { type: 'string', minLength: 1, maxLength: 32000, description: 'What to draw.' },
    ...generationFields,
  },
  description:
    'Fields a model declares as pass-through (e.g. dall-e-3 `style`) are forwarded as-is; any other unknown field is refused.',
};

const imageUrl = str('An https URL or a data: URL of a PNG, JPEG or WebP image.');
const imageRef: JsonSchema = {
  type: 'object',
  required: ['image_url'],
  properties: { image_url: imageUrl },
};

/** `POST /v1/images/edits`: the generation fields plus the input images. */
export const editRequestSchema: JsonSchema = {
  ...generationRequestSchema,
  properties: {
    ...(generationRequestSchema.properties as JsonSchema),
    image: {
      description: 'One image URL or up to 16 (Pixapi form); with multipart, `image[]` files.',
      oneOf: [imageUrl, { type: 'array', items: imageUrl, maxItems: 16 }],
    },
    images: { type: 'array', items: imageRef, maxItems: 16, description: "OpenAI's form." },
    mask: {
      description: 'A PNG mask with transparent areas to edit.',
      oneOf: [imageUrl, imageRef],
    },
    input_fidelity: { type: 'string', enum: ['low', 'high'] },
  },
};

const webhookUrl = str('Called (signed per Standard Webhooks) when the task ends.');

export const asyncRequestSchema = (base: JsonSchema): JsonSchema => ({
  ...base,
  properties: { ...(base.properties as JsonSchema), webhook_url: webhookUrl },
});

/** OpenAI's `ImagesResponse` plus Pixapi's `model` and `billing`. */
export const imagesResponseSchema: JsonSchema = {
  type: 'object',
  required: ['created', 'data', 'model', 'billing'],
  properties: {
    created: int('Unix seconds.'),
    data: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          url: str('The stored image, served by this server.'),
          b64_json: str('With response_format b64_json.'),
          revised_prompt: str('The prompt the model actually used, when it rewrites it.'),
        },
      },
    },
    model: str('The model that generated the images.'),
    background: { type: 'string', enum: ['transparent', 'opaque'] },
    output_format: str('png, jpeg or webp.'),
    size: str('The size, when it is one of OpenAI’s.'),
    quality: str('The quality, when it is one of OpenAI’s.'),
    usage: { type: 'object', description: 'Token usage, when the provider reports it.' },
    billing: {
      type: 'object',
      required: ['images', 'credits'],
      properties: {
        images: int('Images charged.'),
        credits: num('Credits charged.'),
      },
    },
  },
};

export const taskSchema: JsonSchema = {
  type: 'object',
  required: ['id', 'object', 'status', 'model', 'created_at', 'attempts'],
  properties: {
    id: str('task_...'),
    object: { const: 'image.task' },
    status: { enum: ['submitted', 'processing', 'completed', 'failed', 'canceled'] },
    progress: nullable(int('0 to 100, when known.')),
    model: str('The model requested.'),
    created_at: int('Unix seconds.'),
    started_at: nullable(int('Unix seconds.')),
    completed_at: nullable(int('Unix seconds.')),
    attempts: int('Provider attempts so far.'),
    metadata: { type: ['object', 'null'] },
    result: { ...imagesResponseSchema, description: 'When completed.' },
    error: { type: 'object', description: 'When failed: the error object of the error shape.' },
    webhook: { type: 'object', description: 'Delivery state when webhook_url was given.' },
  },
};

export const listOf = (item: JsonSchema): JsonSchema => ({
  type: 'object',
  required: ['object', 'data', 'has_more', 'last_id'],
  properties: {
    object: { const: 'list' },
    data: { type: 'array', items: item },
    has_more: { type: 'boolean' },
    last_id: nullable(str('Pass as `after` for the next page.')),
  },
});

export const modelSchema: JsonSchema = {
  type: 'object',
  required: [
    'id',
    'object',
    'created',
    'owned_by',
    'name',
    'provider',
    'capabilities',
    'endpoints',
    'pricing',
    'sizes',
    'qualities',
    'output_formats',
    'max_n',
    'stream',
    'status',
    'available',
  ],
  properties: {
    id: str('The canonical model id.'),
    object: { const: 'model' },
    created: int('Unix seconds.'),
    owned_by: str('The model’s maker.'),
    name: str('Display name.'),
    description: str('What the model is good at.'),
    aliases: { type: 'array', items: { type: 'string' } },
    provider: str('The provider of the first route.'),
    capabilities: { type: 'array', items: { enum: ['text-to-image', 'image-to-image'] } },
    endpoints: { type: 'array', items: { type: 'string' } },
    pricing: {
      type: 'object',
      required: ['unit', 'from_credits', 'rules'],
      properties: {
        unit: { const: 'image' },
        from_credits: num('The lowest price of one image.'),
        rules: {
          type: 'array',
          description: 'The first rule whose conditions match prices an image.',
          items: {
            type: 'object',
            required: ['credits'],
            properties: {
              quality: { type: 'array', items: { type: 'string' } },
              tier: { type: 'array', items: { type: 'string' } },
              credits: num('Credits per output image.'),
            },
          },
        },
      },
    },
    sizes: { type: 'array', items: { type: 'string' } },
    size_constraints: { type: 'object', description: 'Free sizes accepted within these bounds.' },
    qualities: { type: 'array', items: { type: 'string' } },
    output_formats: { type: 'array', items: { type: 'string' } },
    backgrounds: { type: 'array', items: { type: 'string' } },
    max_n: int('Images per request at most.'),
    stream: { type: 'boolean' },
    status: { enum: ['active', 'deprecated', 'retired'] },
    deprecated_at: nullable(str('YYYY-MM-DD')),
    shutdown_date: nullable(str('YYYY-MM-DD')),
    replacement: nullable(str('The model id to move to.')),
    available: { type: 'boolean', description: 'Whether this server can serve it now.' },
  },
};

export const accountSchema: JsonSchema = {
  type: 'object',
  required: ['id', 'object', 'name', 'balance', 'held', 'available'],
  properties: {
    id: str('acc_...'),
    object: { const: 'account' },
    name: { type: 'string' },
    balance: num('Credits.'),
    held: num('Credits held by requests in progress.'),
    available: num('Credits that new requests can use.'),
    webhook_secret: str('Verifies webhook signatures (only with the settings permission).'),
    spend_today: num('Credits captured since 00:00 UTC.'),
    spend_month: num('Credits captured since the 1st of the month, UTC.'),
    default_webhook_url: { type: ['string', 'null'] },
    suspended: { type: 'boolean' },
    role: { enum: ['owner', 'developer', 'viewer', null], description: 'A session’s role.' },
    scope: { enum: ['full', 'read', 'admin', null], description: 'A key’s scope.' },
    created_at: int('Unix seconds.'),
  },
};

export const usageRecordSchema: JsonSchema = {
  type: 'object',
  required: ['id', 'object', 'request_id', 'model', 'endpoint', 'status', 'images', 'credits'],
  properties: {
    id: { type: 'string' },
    object: { const: 'usage.record' },
    request_id: { type: 'string' },
    model: { type: 'string' },
    endpoint: { type: 'string' },
    status: { enum: ['succeeded', 'failed', 'blocked'] },
    task_id: { type: ['string', 'null'] },
    key_id: { type: ['string', 'null'] },
    images: { type: 'integer' },
    credits: { type: 'number' },
    latency_ms: { type: 'integer' },
    created: int('Unix seconds.'),
  },
};

export const estimateSchema: JsonSchema = {
  type: 'object',
  required: ['object', 'model', 'endpoint', 'n', 'credits_per_image', 'hold_credits', 'sufficient'],
  properties: {
    object: { const: 'image.estimate' },
    model: str('The model that would serve the request.'),
    endpoint: { enum: ['images.generations', 'images.edits'] },
    n: { type: 'integer' },
    size: str('WIDTHxHEIGHT'),
    tier: str('The price tier of the size.'),
    quality: { type: 'string' },
    credits_per_image: num('Price of one delivered image.'),
    hold_credits: num('Held while the request runs.'),
    max_charge_credits: num('Charged if every image is delivered.'),
    available_credits: num('What the account can spend now.'),
    sufficient: { type: 'boolean' },
    available: { type: 'boolean', description: 'Whether the model can be served now.' },
  },
};
