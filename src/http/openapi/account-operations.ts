import type { Operation } from './operations.js';
import {
  keyOrSession,
  error,
  ok,
  str,
  nullableStr,
  obj,
  param,
  errors,
  limits,
  keySchema,
  createdKeySchema,
  usageFilters,
  csv,
  body,
} from './dashboard-schemas.js';
import { accountSchema, listOf, usageRecordSchema } from './schemas.js';

/** The account, its keys, usage exports and series, and task redelivery (docs/dashboard-api.md). */
export const ACCOUNT_OPERATIONS: Record<string, Operation> = {
  'PATCH /v1/account': {
    summary: 'Change the account’s name or default webhook URL',
    description: 'Needs the settings permission (owners).',
    tags: ['Account'],
    operationId: 'updateAccount',
    security: keyOrSession,
    body: body({ name: str, default_webhook_url: nullableStr }),
    response: { 200: ok(accountSchema, 'The account.'), ...errors, 409: error('`name_taken`.') },
  },
  'GET /v1/account/webhook-secret': {
    summary: 'Reveal the webhook signing secret',
    description: 'Needs the settings permission (owners).',
    tags: ['Account'],
    operationId: 'getWebhookSecret',
    security: keyOrSession,
    response: {
      200: ok(obj({ object: str, webhook_secret: str }, ['webhook_secret']), 'The secret.'),
      ...errors,
    },
  },
  'GET /v1/keys': {
    summary: 'List API keys',
    tags: ['Keys'],
    operationId: 'listKeys',
    security: keyOrSession,
    response: { 200: ok(listOf(keySchema), 'Newest first, revoked ones included.'), ...errors },
  },
  'POST /v1/keys': {
    summary: 'Create an API key',
    description:
      'The secret is in the answer once. A key never does more than its creator’s role allows.',
    tags: ['Keys'],
    operationId: 'createKey',
    security: keyOrSession,
    body: body({ name: str, scope: { enum: ['full', 'read', 'admin'] }, limits }),
    response: { 201: ok(createdKeySchema, 'The key and its secret.'), ...errors },
  },
  'DELETE /v1/keys/:keyId': {
    summary: 'Revoke an API key',
    tags: ['Keys'],
    operationId: 'revokeKey',
    security: keyOrSession,
    params: param('keyId', 'key_...'),
    response: { 200: ok(keySchema, 'The revoked key.'), ...errors },
  },
  'GET /v1/usage/export.csv': {
    summary: 'Export usage records as CSV',
    description: 'Streams every record matching the filters, newest first.',
    tags: ['Account'],
    operationId: 'exportUsage',
    security: keyOrSession,
    querystring: usageFilters,
    response: csv,
  },
  'GET /v1/usage/daily': {
    summary: 'Requests, images and credits per day and model',
    tags: ['Account'],
    operationId: 'dailyUsage',
    security: keyOrSession,
    querystring: {
      type: 'object',
      properties: { days: { type: 'integer', minimum: 1, maximum: 90, default: 30 } },
    },
    response: {
      200: ok(
        obj(
          {
            object: { const: 'usage.daily' },
            from: str,
            to: str,
            data: {
              type: 'array',
              items: obj(
                {
                  date: str,
                  model: str,
                  requests: { type: 'integer' },
                  images: { type: 'integer' },
                  credits: { type: 'number' },
                },
                ['date', 'model', 'requests', 'images', 'credits'],
              ),
            },
          },
          ['object', 'from', 'to', 'data'],
        ),
        'Only days and models with requests.',
      ),
      ...errors,
    },
  },
  'GET /v1/usage/:id': {
    summary: 'A usage record with its error or images',
    tags: ['Account'],
    operationId: 'getUsage',
    security: keyOrSession,
    params: param('id', 'usage_...'),
    response: {
      200: ok(
        {
          ...usageRecordSchema,
          properties: {
            ...(usageRecordSchema.properties as object),
            error: { type: ['object', 'null'] },
            images: {
              type: 'array',
              items: obj(
                {
                  id: str,
                  url: str,
                  content_type: str,
                  width: { type: 'integer' },
                  height: { type: 'integer' },
                  expired: { type: 'boolean' },
                },
                ['id', 'url'],
              ),
            },
          },
        },
        'The record.',
      ),
      ...errors,
    },
  },
  'POST /v1/tasks/:id/redeliver': {
    summary: 'Send a finished task’s webhook again',
    tags: ['Tasks'],
    operationId: 'redeliverTaskWebhook',
    security: keyOrSession,
    params: param('id', 'task_...'),
    response: {
      202: { type: 'object', description: 'The task; a delivery is scheduled now.' },
      ...errors,
      409: error('`task_not_finished`.'),
    },
  },
};
