import { errorSchema, type JsonSchema } from './schemas.js';

/** Schemas and helpers shared by the dashboard's operation tables (people, account, admin). */

export const keyOrSession: Array<Record<string, string[]>> = [
  { bearerAuth: [] },
  { cookieAuth: [] },
];
export const session: Array<Record<string, string[]>> = [{ cookieAuth: [] }];
export const error = (description: string): JsonSchema => ({ ...errorSchema, description });
export const ok = (schema: JsonSchema, description: string) => ({ ...schema, description });
export const str = { type: 'string' };
export const nullableStr = { type: ['string', 'null'] };
const nullableInt = { type: ['integer', 'null'] };
export const obj = (
  properties: Record<string, JsonSchema>,
  required: string[] = [],
): JsonSchema => ({
  type: 'object',
  required,
  properties,
});
export const param = (name: string, description: string): JsonSchema => ({
  type: 'object',
  required: [name],
  properties: { [name]: { type: 'string', description } },
});
export const errors = {
  400: error('Invalid request: the error names the `param` at fault.'),
  401: error('Missing or invalid API key, or not signed in.'),
  403: error(
    '`permission_denied` (role or key scope), `account_suspended`, or `csrf_failed` (a signed-in write without `x-pixapi-csrf`).',
  ),
  404: error('Not found.'),
};
export const sessionErrors = { 400: errors[400], 401: errors[401], 403: errors[403] };
export const adminNote = 'Site admins only (an admin session or admin key); others get 403.';

export const sessionSchema = obj(
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
export const done = (object: string) => obj({ object: { const: object } }, ['object']);
export const limits = obj({
  rpm: nullableInt,
  images_per_minute: nullableInt,
  max_concurrent: nullableInt,
  daily_credits: { type: ['number', 'null'] },
  monthly_credits: { type: ['number', 'null'] },
});
export const keySchema = obj(
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
export const createdKeySchema = {
  ...keySchema,
  required: [...(keySchema.required as string[]), 'key'],
  properties: {
    ...(keySchema.properties as object),
    key: { type: 'string', description: 'The secret: shown this once.' },
  },
};
export const memberSchema = obj(
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
export const inviteSchema = obj(
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
export const adminAccountSchema = obj(
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
export const usageFilters: JsonSchema = {
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
export const adminUsageFilters: JsonSchema = {
  ...usageFilters,
  properties: { ...(usageFilters.properties as object), account_id: { type: 'string' } },
};
export const csv = {
  200: { type: 'string', description: 'text/csv, every matching row.' },
  ...errors,
};
export const body = (properties: Record<string, JsonSchema>, required: string[] = []) =>
  obj(properties, required);
