import type { Operation } from './operations.js';
import {
  accountSchema,
  errorSchema,
  listOf,
  usageRecordSchema,
  type JsonSchema,
} from './schemas.js';

/**
 * The operations under the dashboard (docs/dashboard-api.md): sessions, keys, members, usage
 * exports and series, and the site admin's. Each accepts an API key or the session cookie.
 */

const keyOrSession: Array<Record<string, string[]>> = [{ bearerAuth: [] }, { cookieAuth: [] }];
const session: Array<Record<string, string[]>> = [{ cookieAuth: [] }];
const error = (description: string): JsonSchema => ({ ...errorSchema, description });
const ok = (schema: JsonSchema, description: string) => ({ ...schema, description });
const str = { type: 'string' };
const nullableStr = { type: ['string', 'null'] };
const nullableInt = { type: ['integer', 'null'] };
const obj = (properties: Record<string, JsonSchema>, required: string[] = []): JsonSchema => ({
  type: 'object',
  required,
  properties,
});
const param = (name: string, description: string): JsonSchema => ({
  type: 'object',
  required: [name],
  properties: { [name]: { type: 'string', description } },
});
const errors = {
  400: error('Invalid request: the error names the `param` at fault.'),
  401: error('Missing or invalid API key, or not signed in.'),
  403: error(
    '`permission_denied` (role or key scope), `account_suspended`, or `csrf_failed` (a signed-in write without `x-pixapi-csrf`).',
  ),
  404: error('Not found.'),
};
const sessionErrors = { 400: errors[400], 401: errors[401], 403: errors[403] };
const adminNote = 'Site admins only (an admin session or admin key); others get 403.';

const sessionSchema = obj(
  {
    object: { const: 'session' },
    user: obj(
      {
        id: str,
        email: str,
        name: nullableStr,
        email_verified: { type: 'boolean' },
        site_admin: { type: 'boolean' },
      },
      ['id', 'email', 'site_admin'],
    ),
    account: obj(
      {
        id: str,
        name: str,
        role: { enum: ['owner', 'developer', 'viewer'] },
        suspended: { type: 'boolean' },
      },
      ['id', 'name', 'role'],
    ),
    memberships: {
      type: 'array',
      items: obj({ account_id: str, account_name: str, role: str }, ['account_id', 'role']),
    },
    csrf_token: {
      type: 'string',
      description: 'Send as `x-pixapi-csrf` on every signed-in write.',
    },
    expires_at: { type: 'integer' },
  },
  ['object', 'user', 'account', 'memberships', 'csrf_token'],
);
const done = (object: string) => obj({ object: { const: object } }, ['object']);
const limits = obj({
  rpm: nullableInt,
  images_per_minute: nullableInt,
  max_concurrent: nullableInt,
  daily_credits: { type: ['number', 'null'] },
  monthly_credits: { type: ['number', 'null'] },
});
const keySchema = obj(
  {
    id: str,
    object: { const: 'api_key' },
    name: nullableStr,
    prefix: str,
    scope: { enum: ['full', 'read', 'admin'] },
    status: { enum: ['active', 'revoked'] },
    created_at: { type: 'integer' },
    last_used_at: nullableInt,
    revoked_at: nullableInt,
    created_by: nullableStr,
    limits,
  },
  ['id', 'object', 'prefix', 'scope', 'status', 'created_at'],
);
const createdKeySchema = {
  ...keySchema,
  required: [...(keySchema.required as string[]), 'key'],
  properties: {
    ...(keySchema.properties as object),
    key: { type: 'string', description: 'The secret: shown this once.' },
  },
};
const memberSchema = obj(
  {
    user_id: str,
    object: { const: 'member' },
    email: str,
    name: nullableStr,
    role: str,
    created_at: { type: 'integer' },
  },
  ['user_id', 'object', 'email', 'role'],
);
const inviteSchema = obj(
  {
    id: str,
    object: { const: 'invite' },
    email: str,
    role: str,
    created_at: { type: 'integer' },
    expires_at: { type: 'integer' },
    accepted_at: nullableInt,
    invite_url: { type: 'string', description: 'Only when created: the link to send.' },
  },
  ['id', 'object', 'email', 'role'],
);
const adminAccountSchema = obj(
  {
    id: str,
    object: { const: 'account' },
    name: str,
    balance: { type: 'number' },
    held: { type: 'number' },
    available: { type: 'number' },
    suspended: { type: 'boolean' },
    is_admin: { type: 'boolean' },
    members: { type: 'integer' },
    member_list: { type: 'array', items: memberSchema },
    created_at: { type: 'integer' },
  },
  ['id', 'object', 'name', 'balance', 'held', 'available', 'suspended'],
);
const usageFilters: JsonSchema = {
  type: 'object',
  properties: {
    limit: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
    after: { type: 'string', description: 'The last id of the previous page.' },
    from: { type: 'string', description: 'Unix seconds or an ISO 8601 date (inclusive).' },
    to: { type: 'string', description: 'Unix seconds or an ISO 8601 date (exclusive).' },
    model: { type: 'string', description: 'The model that served or was asked for.' },
    key_id: { type: 'string' },
    status: { enum: ['succeeded', 'failed', 'blocked'] },
    request_id: { type: 'string' },
    task_id: { type: 'string' },
  },
};
const adminUsageFilters: JsonSchema = {
  ...usageFilters,
  properties: { ...(usageFilters.properties as object), account_id: { type: 'string' } },
};
const csv = { 200: { type: 'string', description: 'text/csv, every matching row.' }, ...errors };
const body = (properties: Record<string, JsonSchema>, required: string[] = []) =>
  obj(properties, required);

export const DASHBOARD_OPERATIONS: Record<string, Operation> = {
  'GET /v1/auth/config': {
    summary: 'What sign-up offers',
    tags: ['People'],
    operationId: 'getAuthConfig',
    response: {
      200: ok(
        obj(
          {
            object: { const: 'auth.config' },
            signup: { enum: ['open', 'invite', 'closed'] },
            email_delivery: { type: 'boolean' },
          },
          ['signup', 'email_delivery'],
        ),
        'The sign-up mode and whether mail is sent.',
      ),
    },
  },
  'POST /v1/auth/sign-up': {
    summary: 'Sign up with email and password',
    description:
      'Creates a person and an account they own with the starter credits (`PIXAPI_SIGNUP_CREDITS`), or with `invite_token` joins the inviting account. Sets the session cookies.',
    tags: ['People'],
    operationId: 'signUp',
    body: body(
      {
        email: str,
        password: { type: 'string', minLength: 8, maxLength: 256 },
        name: str,
        invite_token: str,
      },
      ['email', 'password'],
    ),
    response: {
      201: ok(sessionSchema, 'Signed in.'),
      400: errors[400],
      403: error('`signup_closed` or `invite_required`.'),
      409: error('`email_taken`.'),
      429: error('Too many sign-ups from this address.'),
    },
  },
  'POST /v1/auth/sign-in': {
    summary: 'Sign in',
    description:
      'Sets the session cookies. Failed attempts are rate-limited per email and address.',
    tags: ['People'],
    operationId: 'signIn',
    body: body({ email: str, password: str }, ['email', 'password']),
    response: {
      200: ok(sessionSchema, 'Signed in.'),
      400: errors[400],
      401: error('`invalid_credentials`.'),
      403: error('`no_account`: a member of no account.'),
      429: error('`too_many_attempts`.'),
    },
  },
  'POST /v1/auth/sign-out': {
    summary: 'Sign out',
    tags: ['People'],
    operationId: 'signOut',
    security: session,
    response: { 204: { type: 'null', description: 'Signed out.' }, ...sessionErrors },
  },
  'GET /v1/auth/session': {
    summary: 'The current session',
    tags: ['People'],
    operationId: 'getSession',
    security: session,
    response: { 200: ok(sessionSchema, 'The session.'), 401: errors[401] },
  },
  'POST /v1/auth/session/account': {
    summary: 'Act in another of my accounts',
    tags: ['People'],
    operationId: 'switchAccount',
    security: session,
    body: body({ account_id: str }, ['account_id']),
    response: { 200: ok(sessionSchema, 'The session.'), ...sessionErrors, 404: errors[404] },
  },
  'POST /v1/auth/password-reset': {
    summary: 'Mail a password-reset link',
    description: 'Always 202, whether or not the address has an account.',
    tags: ['People'],
    operationId: 'requestPasswordReset',
    body: body({ email: str }, ['email']),
    response: {
      202: ok(done('password_reset.requested'), 'Requested.'),
      400: errors[400],
      429: error('Too many requests.'),
    },
  },
  'POST /v1/auth/password-reset/confirm': {
    summary: 'Set a new password with a reset link’s token',
    description: 'Ends every session of the person.',
    tags: ['People'],
    operationId: 'confirmPasswordReset',
    body: body({ token: str, password: str }, ['token', 'password']),
    response: {
      200: ok(done('password_reset.done'), 'Done.'),
      400: error('`invalid_token` or a bad password.'),
    },
  },
  'POST /v1/auth/verify-email': {
    summary: 'Mail an email-verification link',
    tags: ['People'],
    operationId: 'requestEmailVerification',
    security: session,
    response: { 202: ok(done('email_verification.requested'), 'Requested.'), ...sessionErrors },
  },
  'POST /v1/auth/verify-email/confirm': {
    summary: 'Verify an email address with the link’s token',
    tags: ['People'],
    operationId: 'confirmEmailVerification',
    body: body({ token: str }, ['token']),
    response: {
      200: ok(done('email_verification.done'), 'Verified.'),
      400: error('`invalid_token`.'),
    },
  },
  'GET /v1/invites/:token': {
    summary: 'Preview an invitation',
    tags: ['People'],
    operationId: 'previewInvite',
    params: param('token', 'The token of the invitation link.'),
    response: {
      200: ok(
        obj(
          {
            object: { const: 'invite.preview' },
            account_name: str,
            email: str,
            role: str,
            expires_at: { type: 'integer' },
          },
          ['account_name', 'email', 'role'],
        ),
        'The invitation.',
      ),
      400: error('`invalid_token`.'),
    },
  },
  'POST /v1/invites/accept': {
    summary: 'Accept an invitation (signed in)',
    tags: ['People'],
    operationId: 'acceptInvite',
    security: session,
    body: body({ token: str }, ['token']),
    response: {
      200: ok(sessionSchema, 'The session, now acting in the joined account.'),
      ...sessionErrors,
    },
  },
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
  'GET /v1/members': {
    summary: 'List members and open invitations',
    tags: ['People'],
    operationId: 'listMembers',
    security: keyOrSession,
    response: {
      200: ok(
        {
          ...listOf(memberSchema),
          properties: {
            ...(listOf(memberSchema).properties as object),
            invites: { type: 'array', items: inviteSchema },
          },
        },
        'Members, oldest first.',
      ),
      ...errors,
    },
  },
  'POST /v1/members/invites': {
    summary: 'Invite a person by email',
    description: 'Owners. Mails the link when SMTP is set; the answer has it too.',
    tags: ['People'],
    operationId: 'inviteMember',
    security: keyOrSession,
    body: body({ email: str, role: { enum: ['owner', 'developer', 'viewer'] } }, ['email', 'role']),
    response: {
      201: ok(inviteSchema, 'The invitation.'),
      ...errors,
      409: error('`already_member`.'),
    },
  },
  'DELETE /v1/members/invites/:inviteId': {
    summary: 'Withdraw an invitation',
    tags: ['People'],
    operationId: 'deleteInvite',
    security: keyOrSession,
    params: param('inviteId', 'inv_...'),
    response: { 200: ok(inviteSchema, 'The withdrawn invitation.'), ...errors },
  },
  'PATCH /v1/members/:userId': {
    summary: 'Change a member’s role',
    tags: ['People'],
    operationId: 'updateMember',
    security: keyOrSession,
    params: param('userId', 'usr_...'),
    body: body({ role: { enum: ['owner', 'developer', 'viewer'] } }, ['role']),
    response: { 200: ok(memberSchema, 'The member.'), ...errors, 409: error('`last_owner`.') },
  },
  'DELETE /v1/members/:userId': {
    summary: 'Remove a member',
    tags: ['People'],
    operationId: 'removeMember',
    security: keyOrSession,
    params: param('userId', 'usr_...'),
    response: {
      204: { type: 'null', description: 'Removed.' },
      ...errors,
      409: error('`last_owner`.'),
    },
  },
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
