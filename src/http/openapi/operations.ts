import {
  accountSchema,
  asyncRequestSchema,
  editRequestSchema,
  estimateSchema,
  errorSchema,
  generationRequestSchema,
  imagesResponseSchema,
  listOf,
  modelSchema,
  taskSchema,
  usageRecordSchema,
  type JsonSchema,
} from './schemas.js';
import { DASHBOARD_OPERATIONS } from './dashboard-operations.js';
import { BILLING_OPERATIONS } from './billing-operations.js';

/** One documented operation, in @fastify/swagger's route-schema form. */
export interface Operation {
  summary: string;
  description?: string;
  tags: string[];
  operationId: string;
  security?: Array<Record<string, string[]>>;
  consumes?: string[];
  body?: JsonSchema;
  params?: JsonSchema;
  querystring?: JsonSchema;
  headers?: JsonSchema;
  response: Record<string, JsonSchema>;
}

/** The dashboard's session cookie works wherever a key does (docs/dashboard-api.md). */
const bearer: Array<Record<string, string[]>> = [{ bearerAuth: [] }, { cookieAuth: [] }];
const idempotencyKey: JsonSchema = {
  type: 'object',
  properties: {
    'idempotency-key': {
      type: 'string',
      description: 'A retry with the same key gets the first answer and is never charged twice.',
    },
  },
};
const error = (description: string): JsonSchema => ({ ...errorSchema, description });
const errors = {
  400: error('Invalid request: the error names the `param` at fault.'),
  401: error('Missing or invalid API key.'),
  402: error('Not enough credits.'),
  404: error('Unknown model or resource.'),
  429: error('Rate limited.'),
  503: error('The model’s provider is not configured or unavailable.'),
};
const adminErrors = {
  400: errors[400],
  401: errors[401],
  403: error('The key is not an admin key.'),
  404: errors[404],
};
// Errors of the hosted API form are in its envelope, with the HTTP status as `code`.
const legacyErrors = Object.fromEntries(
  Object.entries(errors).map(([status, schema]) => [
    status,
    {
      type: 'object',
      required: ['code', 'message', 'data', 'error'],
      properties: {
        code: { type: 'integer' },
        message: { type: 'string' },
        data: { type: 'null' },
        error: (errorSchema.properties as Record<string, JsonSchema>).error,
      },
      description: schema.description,
    } satisfies JsonSchema,
  ]),
);
const limitFields: JsonSchema = {
  rpm: { type: ['integer', 'null'], minimum: 1 },
  images_per_minute: { type: ['integer', 'null'], minimum: 1 },
  max_concurrent: { type: ['integer', 'null'], minimum: 1 },
  daily_credits: { type: ['number', 'null'], minimum: 0 },
  monthly_credits: { type: ['number', 'null'], minimum: 0 },
};
const limitsBody: JsonSchema = { type: 'object', properties: limitFields };
const limitsView: JsonSchema = {
  type: 'object',
  required: ['object', 'limits'],
  properties: {
    object: { enum: ['key.limits', 'account.limits'] },
    key_id: { type: 'string' },
    account_id: { type: 'string' },
    limits: limitsBody,
    effective: limitsBody,
  },
};
const moderationView: JsonSchema = {
  type: 'object',
  required: ['object', 'account_id', 'mode', 'server_mode'],
  properties: {
    object: { const: 'account.moderation' },
    account_id: { type: 'string' },
    mode: { enum: ['off', 'rules', 'openai', null] },
    server_mode: { enum: ['off', 'rules', 'openai'] },
  },
};
const readErrors = { 400: errors[400], 401: errors[401], 404: errors[404] };
const ok = (schema: JsonSchema, description: string) => ({ ...schema, description });
const legacyEnvelope: JsonSchema = {
  type: 'object',
  required: ['code', 'message', 'data'],
  properties: { code: { const: 0 }, message: { type: 'string' }, data: imagesResponseSchema },
};
const id = (name: string, description: string): JsonSchema => ({
  type: 'object',
  required: [name],
  properties: { [name]: { type: 'string', description } },
});
const page: JsonSchema = {
  limit: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
  after: { type: 'string', description: 'The last id of the previous page.' },
};

/**
 * Every public operation, keyed by Fastify's method and URL. The server refuses to start when a
 * `/v1` route has no entry here (src/http/openapi/register.ts), and test/openapi.test.ts checks
 * every entry against the running server.
 */
export const OPERATIONS: Record<string, Operation> = {
  'POST /v1/images/generations': {
    summary: 'Generate images',
    description:
      'OpenAI-compatible. With `stream: true` (models that stream), answers server-sent events.',
    tags: ['Images'],
    operationId: 'createImage',
    security: bearer,
    headers: idempotencyKey,
    body: generationRequestSchema,
    response: { 200: ok(imagesResponseSchema, 'The images, stored and served by URL.'), ...errors },
  },
  'POST /v1/images/edits': {
    summary: 'Edit images',
    description: 'JSON with image URLs, or multipart/form-data as OpenAI’s SDKs send it.',
    tags: ['Images'],
    operationId: 'createImageEdit',
    security: bearer,
    consumes: ['application/json', 'multipart/form-data'],
    headers: idempotencyKey,
    body: editRequestSchema,
    response: { 200: ok(imagesResponseSchema, 'The edited images.'), ...errors },
  },
  'POST /v1/images/estimate': {
    summary: 'Estimate the cost of a request',
    description:
      'Validates a generation or edit body exactly as the real request, and answers what it would hold and charge, without calling a provider. A body with `image`, `images` or `mask` is priced as an edit.',
    tags: ['Images'],
    operationId: 'estimateImage',
    security: bearer,
    body: editRequestSchema,
    response: { 200: ok(estimateSchema, 'The price of the request.'), ...errors },
  },
  'POST /v1/images/generate': {
    summary: 'Generate images (Pixapi hosted API form)',
    description:
      'For clients moving from Pixapi’s hosted API: the same request as POST /v1/images/generations, answered as `{code, message, data}` (`code` 0 and the images in `data` on success; on failure the HTTP status as `code`, the message and `error`).',
    tags: ['Images'],
    operationId: 'legacyGenerate',
    security: bearer,
    headers: idempotencyKey,
    body: generationRequestSchema,
    response: { 200: ok(legacyEnvelope, 'The images in `data`.'), ...legacyErrors },
  },
  'POST /v1/images/edit': {
    summary: 'Edit images (Pixapi hosted API form)',
    description:
      'The same request as POST /v1/images/edits (JSON or multipart), answered as `{code, message, data}`.',
    tags: ['Images'],
    operationId: 'legacyEdit',
    security: bearer,
    consumes: ['application/json', 'multipart/form-data'],
    headers: idempotencyKey,
    body: editRequestSchema,
    response: { 200: ok(legacyEnvelope, 'The edited images in `data`.'), ...legacyErrors },
  },
  'POST /v1/async/images/generations': {
    summary: 'Submit a generation task',
    tags: ['Tasks'],
    operationId: 'createImageTask',
    security: bearer,
    headers: idempotencyKey,
    body: asyncRequestSchema(generationRequestSchema),
    response: { 202: ok(taskSchema, 'The task; poll GET /v1/tasks/{id}.'), ...errors },
  },
  'POST /v1/async/images/edits': {
    summary: 'Submit an edit task',
    tags: ['Tasks'],
    operationId: 'createImageEditTask',
    security: bearer,
    consumes: ['application/json', 'multipart/form-data'],
    headers: idempotencyKey,
    body: asyncRequestSchema(editRequestSchema),
    response: { 202: ok(taskSchema, 'The task; poll GET /v1/tasks/{id}.'), ...errors },
  },
  'GET /v1/tasks': {
    summary: 'List tasks',
    tags: ['Tasks'],
    operationId: 'listTasks',
    security: bearer,
    querystring: {
      type: 'object',
      properties: {
        ...page,
        status: { enum: ['submitted', 'processing', 'completed', 'failed', 'canceled'] },
      },
    },
    response: { 200: ok(listOf(taskSchema), 'Newest first.'), ...readErrors },
  },
  'GET /v1/tasks/:id': {
    summary: 'Get a task',
    tags: ['Tasks'],
    operationId: 'getTask',
    security: bearer,
    params: id('id', 'task_...'),
    response: { 200: ok(taskSchema, 'The task.'), ...readErrors },
  },
  'POST /v1/tasks/:id/cancel': {
    summary: 'Cancel a task',
    description: 'Releases the held credits of a task that has not completed.',
    tags: ['Tasks'],
    operationId: 'cancelTask',
    security: bearer,
    params: id('id', 'task_...'),
    headers: idempotencyKey,
    response: { 200: ok(taskSchema, 'The task.'), ...readErrors, 409: error('Already finished.') },
  },
  'GET /v1/models': {
    summary: 'List models',
    description: 'No key needed.',
    tags: ['Models'],
    operationId: 'listModels',
    response: {
      200: {
        type: 'object',
        required: ['object', 'data'],
        properties: { object: { const: 'list' }, data: { type: 'array', items: modelSchema } },
        description: 'Every model of the catalog.',
      },
    },
  },
  'GET /v1/models/*': {
    summary: 'Get a model',
    description: 'No key needed. Accepts aliases. Adds the request fields and examples.',
    tags: ['Models'],
    operationId: 'getModel',
    params: id('id', 'A model id or alias.'),
    response: { 200: ok(modelSchema, 'The model.'), 404: errors[404] },
  },
  'GET /v1/account': {
    summary: 'Get the account and its balance',
    tags: ['Account'],
    operationId: 'getAccount',
    security: bearer,
    response: { 200: ok(accountSchema, 'The account of the key.'), 401: errors[401] },
  },
  'POST /v1/account/webhook-secret/rotate': {
    summary: 'Rotate the webhook signing secret',
    tags: ['Account'],
    operationId: 'rotateWebhookSecret',
    security: bearer,
    headers: idempotencyKey,
    response: {
      200: {
        type: 'object',
        required: ['webhook_secret'],
        properties: { webhook_secret: { type: 'string' } },
        description: 'The new secret.',
      },
      401: errors[401],
    },
  },
  'GET /v1/usage': {
    summary: 'List usage records',
    tags: ['Account'],
    operationId: 'listUsage',
    security: bearer,
    querystring: {
      type: 'object',
      properties: {
        ...page,
        model: { type: 'string' },
        from: { type: 'string', description: 'Unix seconds or an ISO 8601 date.' },
        to: { type: 'string', description: 'Unix seconds or an ISO 8601 date.' },
        key_id: { type: 'string' },
        status: { enum: ['succeeded', 'failed', 'blocked'] },
        request_id: { type: 'string' },
        task_id: { type: 'string' },
      },
    },
    response: { 200: ok(listOf(usageRecordSchema), 'Newest first.'), ...readErrors },
  },
  ...DASHBOARD_OPERATIONS,
  'GET /v1/assets/:file': {
    summary: 'Download a stored image',
    description: 'No key needed: the unguessable id is the capability. Expires after a while.',
    tags: ['Assets'],
    operationId: 'getAsset',
    params: id('file', 'ast_....png, .jpeg or .webp'),
    response: {
      200: { description: 'The image bytes.', type: 'string', format: 'binary' },
      302: {
        description:
          'With PIXAPI_ASSET_DELIVERY redirect or public: `location` is the image on the bucket (a presigned URL valid for at most 5 minutes, or the public URL).',
        type: 'null',
      },
      404: errors[404],
    },
  },
  'GET /v1/admin/keys/:keyId/limits': {
    summary: 'Get a key’s limits',
    description: 'Admin keys only.',
    tags: ['Admin'],
    operationId: 'getKeyLimits',
    security: bearer,
    params: id('keyId', 'key_...'),
    response: { 200: ok(limitsView, 'The key’s own limits.'), ...adminErrors },
  },
  'PATCH /v1/admin/keys/:keyId/limits': {
    summary: 'Change a key’s limits',
    description: 'Admin keys only. Sets the fields given; `null` removes a limit.',
    tags: ['Admin'],
    operationId: 'updateKeyLimits',
    security: bearer,
    params: id('keyId', 'key_...'),
    body: limitsBody,
    response: { 200: ok(limitsView, 'The key’s limits after the change.'), ...adminErrors },
  },
  'GET /v1/admin/accounts/:accountId/limits': {
    summary: 'Get an account’s limits',
    description: 'Admin keys only. `limits` are the account’s own, `effective` with defaults.',
    tags: ['Admin'],
    operationId: 'getAccountLimits',
    security: bearer,
    params: id('accountId', 'acc_...'),
    response: { 200: ok(limitsView, 'Own and effective limits.'), ...adminErrors },
  },
  'PATCH /v1/admin/accounts/:accountId/limits': {
    summary: 'Change an account’s limits',
    description: 'Admin keys only. `null` returns a limit to the server’s default.',
    tags: ['Admin'],
    operationId: 'updateAccountLimits',
    security: bearer,
    params: id('accountId', 'acc_...'),
    body: limitsBody,
    response: { 200: ok(limitsView, 'Own and effective limits.'), ...adminErrors },
  },
  'GET /v1/admin/accounts/:accountId/moderation': {
    summary: 'Get an account’s moderation mode',
    description: 'Admin keys only. `mode` null: the server’s mode applies.',
    tags: ['Admin'],
    operationId: 'getAccountModeration',
    security: bearer,
    params: id('accountId', 'acc_...'),
    response: { 200: ok(moderationView, 'The account’s mode.'), ...adminErrors },
  },
  'PUT /v1/admin/accounts/:accountId/moderation': {
    summary: 'Set an account’s moderation mode',
    description: 'Admin keys only. `off`, `rules`, `openai`, or `null` for the server’s mode.',
    tags: ['Admin'],
    operationId: 'setAccountModeration',
    security: bearer,
    params: id('accountId', 'acc_...'),
    body: {
      type: 'object',
      required: ['mode'],
      properties: { mode: { enum: ['off', 'rules', 'openai', null] } },
    },
    response: { 200: ok(moderationView, 'The account’s mode.'), ...adminErrors },
  },
  ...BILLING_OPERATIONS,
  'GET /healthz': {
    summary: 'Liveness',
    tags: ['Health'],
    operationId: 'health',
    response: {
      200: { type: 'object', properties: { status: { const: 'ok' } }, description: 'Alive.' },
    },
  },
  'GET /readyz': {
    summary: 'Readiness',
    description: 'The database and the asset store answer.',
    tags: ['Health'],
    operationId: 'ready',
    response: {
      200: { type: 'object', properties: { status: { const: 'ready' } }, description: 'Ready.' },
      503: error('Not ready.'),
    },
  },
};

/** The routes that are part of the API (and so must be documented). */
export function isApiRoute(url: string): boolean {
  return url.startsWith('/v1/') || url === '/healthz' || url === '/readyz';
}
