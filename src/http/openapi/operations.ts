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

const bearer = [{ bearerAuth: [] }];
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
const readErrors = { 400: errors[400], 401: errors[401], 404: errors[404] };
const ok = (schema: JsonSchema, description: string) => ({ ...schema, description });
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
      },
    },
    response: { 200: ok(listOf(usageRecordSchema), 'Newest first.'), ...readErrors },
  },
  'GET /v1/assets/:file': {
    summary: 'Download a stored image',
    description: 'No key needed: the unguessable id is the capability. Expires after a while.',
    tags: ['Assets'],
    operationId: 'getAsset',
    params: id('file', 'ast_....png, .jpeg or .webp'),
    response: {
      200: { description: 'The image bytes.', type: 'string', format: 'binary' },
      404: errors[404],
    },
  },
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
