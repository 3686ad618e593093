import type { Operation } from './operations.js';
import {
  keyOrSession,
  error,
  ok,
  str,
  obj,
  param,
  errors,
  adminNote,
  adminAccountSchema,
  adminUsageFilters,
  csv,
  body,
} from './dashboard-schemas.js';
import { listOf, usageRecordSchema } from './schemas.js';

/** The site admin's operations: accounts, credits, usage, routes and settings (docs/dashboard-api.md). */
export const ADMIN_OPERATIONS: Record<string, Operation> = {
  'GET /v1/admin/accounts': {
    summary: 'Search accounts',
    description: `${adminNote} \`q\` matches a name, an id or a member’s email.`,
    tags: ['Admin'],
    operationId: 'adminListAccounts',
    security: keyOrSession,
    querystring: { type: 'object', properties: { q: str, limit: { type: 'integer' }, after: str } },
    response: { 200: ok(listOf(adminAccountSchema), 'Newest first.'), ...errors },
  },
  'GET /v1/admin/accounts/:accountId': {
    summary: 'An account with its members',
    description: adminNote,
    tags: ['Admin'],
    operationId: 'adminGetAccount',
    security: keyOrSession,
    params: param('accountId', 'acc_...'),
    response: { 200: ok(adminAccountSchema, 'The account.'), ...errors },
  },
  'POST /v1/admin/accounts/:accountId/credits': {
    summary: 'Grant or deduct credits',
    description: `${adminNote} A positive amount grants, a negative one deducts; one \`grant\` or \`deduction\` ledger row with the note. A deduction never goes beyond the available credits (409 \`deduction_exceeds_balance\`).`,
    tags: ['Admin'],
    operationId: 'adminAdjustCredits',
    security: keyOrSession,
    params: param('accountId', 'acc_...'),
    body: body({ amount: { type: 'number' }, note: str }, ['amount', 'note']),
    response: {
      201: ok(
        obj(
          {
            object: { const: 'ledger.entry' },
            id: str,
            account_id: str,
            amount: { type: 'number' },
            note: str,
            created_at: { type: 'integer' },
            balance: { type: 'number' },
            available: { type: 'number' },
          },
          ['object', 'id', 'amount', 'balance'],
        ),
        'The ledger row and the new balance.',
      ),
      ...errors,
      409: error('`deduction_exceeds_balance`: more than the available credits.'),
    },
  },
  'POST /v1/admin/accounts/:accountId/suspend': {
    summary: 'Suspend an account',
    description: `${adminNote} A suspended account can only read.`,
    tags: ['Admin'],
    operationId: 'adminSuspendAccount',
    security: keyOrSession,
    params: param('accountId', 'acc_...'),
    response: { 200: ok(adminAccountSchema, 'The account.'), ...errors },
  },
  'POST /v1/admin/accounts/:accountId/unsuspend': {
    summary: 'Lift a suspension',
    description: adminNote,
    tags: ['Admin'],
    operationId: 'adminUnsuspendAccount',
    security: keyOrSession,
    params: param('accountId', 'acc_...'),
    response: { 200: ok(adminAccountSchema, 'The account.'), ...errors },
  },
  'GET /v1/admin/usage': {
    summary: 'Every account’s usage records',
    description: adminNote,
    tags: ['Admin'],
    operationId: 'adminListUsage',
    security: keyOrSession,
    querystring: adminUsageFilters,
    response: { 200: ok(listOf(usageRecordSchema), 'Newest first.'), ...errors },
  },
  'GET /v1/admin/usage/export.csv': {
    summary: 'Export every account’s usage as CSV',
    description: adminNote,
    tags: ['Admin'],
    operationId: 'adminExportUsage',
    security: keyOrSession,
    querystring: adminUsageFilters,
    response: csv,
  },
  'GET /v1/admin/routes': {
    summary: 'Provider routes with health and breaker state',
    description: adminNote,
    tags: ['Admin'],
    operationId: 'adminListRoutes',
    security: keyOrSession,
    response: {
      200: ok(
        obj(
          {
            object: { const: 'list' },
            data: {
              type: 'array',
              items: obj(
                {
                  route: str,
                  provider: str,
                  models: { type: 'array', items: str },
                  configured: { type: 'boolean' },
                  breaker: { enum: ['closed', 'half_open', 'open'] },
                  last_hour: obj({ requests: { type: 'integer' }, failed: { type: 'integer' } }),
                },
                ['route', 'provider', 'models', 'configured', 'breaker'],
              ),
            },
          },
          ['object', 'data'],
        ),
        'Every route of the catalog.',
      ),
      ...errors,
    },
  },
  'GET /v1/admin/settings': {
    summary: 'The site’s settings',
    description: `${adminNote} Read-only: set by environment variables.`,
    tags: ['Admin'],
    operationId: 'adminSettings',
    security: keyOrSession,
    response: {
      200: ok(
        obj(
          {
            object: str,
            signup: str,
            signup_credits: { type: 'number' },
            email_delivery: { type: 'boolean' },
            public_url: str,
          },
          ['signup'],
        ),
        'The settings.',
      ),
      ...errors,
    },
  },
};
