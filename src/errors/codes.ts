/**
 * Every error code Pixapi answers with, and what it means on the wire. `PixapiError` takes its
 * status, type and retryability from here, so a code that is not in this table does not compile;
 * docs/api.md's error table is checked against it (test/error-table.test.ts).
 */

export type ErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'insufficient_credits'
  | 'rate_limit_error'
  | 'upstream_error'
  | 'service_unavailable'
  | 'server_error';

export interface ErrorSpec {
  status: number;
  type: ErrorType;
  /** Whether the same request may succeed if sent again (drives `x-should-retry`). */
  retryable: boolean;
  /** When the code is used; each occurrence writes its own message. */
  description: string;
}

function client<S extends number>(status: S, description: string, retryable = false) {
  return { status, type: 'invalid_request_error', retryable, description } as const;
}

function unavailable(description: string, retryable: boolean) {
  return { status: 503, type: 'service_unavailable', retryable, description } as const;
}

export const ERROR_CODES = {
  // The request itself is wrong (400).
  invalid_request: client(400, 'HTTP the server could not parse; Fastify errors of other 4xx'),
  invalid_body: client(400, 'the body is not valid JSON or multipart'),
  missing_required_parameter: client(400, 'a required field is absent'),
  invalid_value: client(400, 'a field has a value outside what is accepted'),
  unknown_parameter: client(400, 'a field the endpoint does not know'),
  unsupported_size: client(400, 'the model does not make images of this size'),
  unsupported_model: client(400, 'the model does not serve this endpoint'),
  unsupported_parameter: client(400, 'the model does not take this field'),
  invalid_image: client(400, 'an input image is not a PNG, JPEG or WebP it can read'),
  image_url_rejected: client(400, 'an input image URL points where the server does not fetch'),
  image_url_unreachable: client(400, 'an input image URL could not be fetched'),
  image_url_timeout: client(400, 'an input image URL answered too slowly'),
  webhook_url_rejected: client(400, 'a webhook URL points where the server does not send'),
  content_policy_violation: client(400, 'moderation or the provider safety system refused'),
  provider_rejected_request: client(400, 'the provider refused the request as invalid'),
  invalid_idempotency_key: client(400, 'the Idempotency-Key header is malformed'),
  no_webhook: client(400, 'redelivery asked for a task that has no webhook'),
  invalid_token: client(400, 'an invite, reset or verification link used, expired or unknown'),
  invalid_signature: client(400, 'a Stripe webhook whose signature does not verify'),
  missing_pack: client(400, 'a checkout that names no credit pack'),
  unknown_pack: client(400, 'a checkout for a credit pack that is not configured'),
  custom_amount_disabled: client(400, 'a checkout for a custom amount where none is allowed'),
  missing_code: client(400, 'a redemption without a code'),

  // Who is asking (401, 403).
  invalid_api_key: {
    status: 401,
    type: 'authentication_error',
    retryable: false,
    description: 'unknown, revoked and malformed keys alike',
  },
  not_signed_in: {
    status: 401,
    type: 'authentication_error',
    retryable: false,
    description: 'a dashboard call without a session',
  },
  invalid_credentials: {
    status: 401,
    type: 'authentication_error',
    retryable: false,
    description: 'a sign-in with a wrong email or password',
  },
  permission_denied: client(403, 'the key scope, member role or metrics token does not allow it'),
  csrf_failed: client(403, 'a cookie-authenticated write without a valid CSRF token'),
  account_suspended: client(403, 'a write from a suspended account'),
  no_account: client(403, 'a sign-in by a person who belongs to no account'),
  signup_closed: client(403, 'sign-up is closed on this server'),
  invite_required: client(403, 'sign-up needs an invitation on this server'),

  // Money (402).
  insufficient_credits: {
    status: 402,
    type: 'insufficient_credits',
    retryable: false,
    description: 'the balance does not cover the hold',
  },

  // What the request names is not there, or not any more (404, 410).
  not_found: client(404, 'no such route or resource'),
  model_not_found: client(404, 'no such model in the catalog'),
  task_not_found: client(404, 'no such task for this account'),
  account_not_found: client(404, 'no such account'),
  key_not_found: client(404, 'no such API key'),
  checkout_not_found: client(404, 'no such checkout session'),
  code_not_found: client(404, 'no such redeem code'),
  model_retired: client(410, 'the model is past its shutdown date'),
  idempotent_images_expired: client(410, 'a replay whose stored images are gone'),
  code_expired: client(410, 'a redeem code past its expiry'),

  // The request clashes with the state of things (405, 409, 422).
  method_not_allowed: client(405, 'the MCP endpoint answers POST only'),
  idempotency_in_flight: client(409, 'the first request with this key is still running', true),
  task_not_cancelable: client(409, 'the task has already finished', true),
  task_not_finished: client(409, 'redelivery asked for a task still running'),
  deduction_exceeds_balance: client(409, 'an admin deduction larger than the balance'),
  code_exists: client(409, 'a redeem code with this text exists'),
  code_used_up: client(409, 'a redeem code used as often as allowed'),
  code_already_redeemed: client(409, 'the account has redeemed this code before'),
  name_taken: client(409, 'another account has this name'),
  already_member: client(409, 'the invited person is already a member'),
  last_owner: client(409, 'the change would leave the account without an owner'),
  email_taken: client(409, 'a sign-up with an email that has an account'),
  idempotency_key_reused: client(422, 'the key was used with another body'),
  idempotent_response_too_large: client(422, 'the first response was too large to keep'),

  // Transport limits (408, 413, 414, 415, 431, 499).
  request_timeout: client(408, 'the request took too long to arrive', true),
  payload_too_large: client(413, 'a body, upload or fetched image over its limit'),
  uri_too_long: client(414, 'the request URL is too long'),
  unsupported_media_type: client(415, 'a body that is neither JSON nor multipart'),
  headers_too_large: client(431, 'the request headers are too large'),
  client_closed_request: client(499, 'the client closed a stream before the image came'),

  // Limits (429).
  rate_limit_exceeded: {
    status: 429,
    type: 'rate_limit_error',
    retryable: true,
    description: 'a requests-per-minute or concurrency limit; see retry-after',
  },
  budget_exceeded: {
    status: 429,
    type: 'rate_limit_error',
    retryable: false,
    description: 'a spending budget is used up until its reset',
  },
  too_many_attempts: {
    status: 429,
    type: 'rate_limit_error',
    retryable: true,
    description: 'too many sign-in attempts',
  },

  // Upstream (502, 504).
  provider_error: {
    status: 502,
    type: 'upstream_error',
    retryable: false,
    description: 'the provider failed after retries and fallbacks',
  },
  payment_provider_error: {
    status: 502,
    type: 'upstream_error',
    retryable: true,
    description: 'Stripe did not answer as expected',
  },
  provider_timeout: {
    status: 504,
    type: 'upstream_error',
    retryable: false,
    description: 'the provider did not answer within the sync timeout',
  },
  task_expired: {
    status: 504,
    type: 'upstream_error',
    retryable: false,
    description: 'an async task that did not finish within its time to live',
  },

  // This server cannot serve it now (503).
  provider_not_configured: unavailable('the model needs a provider key the server lacks', false),
  provider_unavailable: unavailable('the provider refused our key or account', false),
  overloaded: unavailable('every route of the model is failing', true),
  database_unavailable: unavailable('the database connection was lost mid-request', true),
  storage_unavailable: unavailable('the asset store refused or was unreachable', true),
  moderation_unavailable: unavailable('the moderation service did not answer', true),
  topups_not_configured: unavailable('top-ups need Stripe keys the server lacks', false),

  // Ours (500).
  internal_error: {
    status: 500,
    type: 'server_error',
    retryable: true,
    description: 'an unexpected error; quote the request id',
  },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** The codes answered with status `S`: the helpers for one status accept only these. */
export type ErrorCodeWithStatus<S extends number> = {
  [C in ErrorCode]: (typeof ERROR_CODES)[C]['status'] extends S ? C : never;
}[ErrorCode];
