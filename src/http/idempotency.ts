import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { EditSources } from '../generation/edit-inputs.js';
import { errorBody, invalidRequest, PixapiError, toPixapiError } from '../errors.js';
import { replayBody, type ReplayAssets } from '../idempotency/image-replay.js';
import type { IdempotencyStore, StoredResponse } from '../idempotency/store.js';

const PRINTABLE_ASCII = /^[\x20-\x7E]{1,255}$/;

/**
 * The `Idempotency-Key` header: absent is `undefined`; anything but 1–255 printable ASCII
 * characters is a 400, because silently ignoring a bad key would run paid work twice.
 */
export function parseIdempotencyKey(header: unknown): string | undefined {
  if (header === undefined) return undefined;
  if (typeof header === 'string' && PRINTABLE_ASCII.test(header)) return header;
  throw invalidRequest(
    'invalid_idempotency_key',
    'Invalid Idempotency-Key header: expected 1 to 255 printable ASCII characters.',
  );
}

function sortKeys(_key: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const entries = Object.entries(value as Record<string, unknown>);
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries);
}

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * What makes two requests "the same" for an idempotency key: SHA-256 of a canonical JSON (keys
 * sorted at every depth) of the method, the route path, the parsed body and, for uploads, each
 * file's field and SHA-256 in order. Raw multipart bytes are never hashed: their boundaries
 * differ between two sends of the same content.
 *
 * @example
 * fingerprint('POST', '/v1/images/generations', { prompt: 'a cat', model: 'm' }) ===
 *   fingerprint('POST', '/v1/images/generations', { model: 'm', prompt: 'a cat' }); // true
 */
export function fingerprint(
  method: string,
  path: string,
  body: unknown,
  files?: Array<{ field: string; bytes: Buffer }>,
): string {
  const canonical = JSON.stringify(
    {
      method: method.toUpperCase(),
      path,
      body: body ?? null,
      files: files?.map((file) => ({ field: file.field, sha256: sha256(file.bytes) })) ?? [],
    },
    sortKeys,
  );
  return sha256(canonical);
}

export interface IdempotentOutcome {
  status: number;
  body: unknown;
  /**
   * What the idempotency record keeps in place of `body`, when it differs: image responses keep
   * asset references rather than base64 (see `withAssetRefs`).
   */
  stored?: unknown;
  headers?: Record<string, string>;
  /**
   * The response already went out as a stream: there is nothing to replay, so the key is
   * released when it ends (a retry runs anew) and `body` is ignored.
   */
  streamed?: boolean;
}

export interface IdempotentOptions {
  request: FastifyRequest;
  reply: FastifyReply;
  store: IdempotencyStore;
  accountId: string;
  /**
   * Calls `fingerprint(...)` over what the route parsed; computed only when a key is sent, so
   * that requests without one never pay for hashing their body.
   */
  fingerprint: () => string;
  /** Reads back the images that a stored image response references (image routes only). */
  assets?: ReplayAssets;
  /**
   * Does the work. When a key is in use, `commit` is given: call it inside the transaction that
   * makes the work's effect (the charge, the task) so that the stored response commits with it,
   * and a crash can never leave the work done but the key free to run it again.
   */
  run: (commit: CommitResponse | undefined) => Promise<IdempotentOutcome>;
}

/** Stores the response as part of the caller's transaction. */
export type CommitResponse = (
  executor: Kysely<Database>,
  outcome: IdempotentOutcome,
) => Promise<void>;

const JSON_TYPE = 'application/json; charset=utf-8';

// Only headers that describe the stored result itself; request ids, rate limits and the like
// belong to the request that is being answered now.
function replayable(headers: Record<string, unknown>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    const wanted =
      lower.startsWith('x-pixapi-credits-') ||
      lower === 'location' ||
      lower === 'content-type' ||
      lower === 'x-should-retry';
    if (wanted && value !== undefined) kept[lower] = String(value);
  }
  return kept;
}

/**
 * Answers a retry must get again: successes and the client's own mistakes. Not kept: 5xx, and
 * the 4xx below: timeouts, conflicts, rate limits and 402 (no work was done; after a top-up the
 * same key must be able to run).
 */
const CLIENT_STATUSES_NOT_STORED_FOR_REPLAY = new Set([402, 408, 409, 429]);

function isFinal(status: number): boolean {
  if (status >= 200 && status < 300) return true;
  return status >= 400 && status < 500 && !CLIENT_STATUSES_NOT_STORED_FOR_REPLAY.has(status);
}

function inFlight() {
  return new PixapiError({
    code: 'idempotency_in_flight',
    message:
      'A request with this Idempotency-Key is still being processed. Retry after it completes.',
  });
}

function keyReused() {
  return new PixapiError({
    code: 'idempotency_key_reused',
    message:
      'This Idempotency-Key was already used with a different request. Use a new key for a new request.',
  });
}

function send(reply: FastifyReply, outcome: IdempotentOutcome): unknown {
  reply.status(outcome.status);
  for (const [name, value] of Object.entries(outcome.headers ?? {})) reply.header(name, value);
  return outcome.body;
}

/**
 * Runs a POST handler at most once per `Idempotency-Key` and account: the first request runs,
 * a retry after it replays the stored status, headers and body with `idempotent-replayed:
 * true`, a retry during it gets 409, and the same key with another body gets 422. Without the
 * header the handler simply runs. Thrown errors still reach the app's error handler; final
 * ones (4xx but 402/408/409/429) are stored first, the others release the key.
 *
 * @example
 * app.post('/v1/things', async (request, reply) =>
 *   idempotent({
 *     request, reply, store, accountId,
 *     fingerprint: fingerprint('POST', '/v1/things', request.body),
 *     run: async () => ({ status: 200, body: await makeThing(request.body) }),
 *   }),
 * );
 */
export async function idempotent(options: IdempotentOptions): Promise<unknown> {
  const { request, reply, store, accountId, run } = options;
  const key = parseIdempotencyKey(request.headers['idempotency-key']);
  if (key === undefined) {
    const outcome = await run(undefined);
    return outcome.streamed ? undefined : send(reply, outcome);
  }

  const claim = await store.claim(accountId, key, options.fingerprint(), Date.now());
  if (claim.kind === 'in_flight') throw inFlight();
  if (claim.kind === 'mismatch') throw keyReused();
  if (claim.kind === 'replay') {
    // Resolved before any header is set: a replay whose images are gone answers its own error.
    const body = await replayBody(claim.body, options.assets);
    reply.status(claim.status);
    for (const [name, value] of Object.entries(claim.headers)) reply.header(name, value);
    reply.header('idempotent-replayed', 'true');
    return body;
  }

  let committed = false;
  const commit: CommitResponse = async (executor, result) => {
    await store.complete(accountId, key, stored(request, reply, result), Date.now(), executor);
    committed = true;
  };
  let outcome: IdempotentOutcome;
  try {
    outcome = await run(commit);
  } catch (thrown) {
    const error = toPixapiError(thrown);
    if (isFinal(error.status)) {
      await keep(request, store, accountId, key, {
        status: error.status,
        headers: replayable({
          ...error.headers,
          'content-type': JSON_TYPE,
          'x-should-retry': String(error.retryable),
        }),
        body: JSON.stringify(errorBody(error, request.id)),
      });
    } else {
      await forget(request, store, accountId, key);
    }
    throw thrown;
  }

  if (committed) return send(reply, outcome);
  if (outcome.streamed || !isFinal(outcome.status)) {
    await forget(request, store, accountId, key);
    return outcome.streamed ? undefined : send(reply, outcome);
  }
  await keep(request, store, accountId, key, stored(request, reply, outcome));
  return send(reply, outcome);
}

/**
 * The most one key may store: the response's status, headers and body text, images excluded
 * (they are kept as asset ids). Real answers stay far below it (n=10 with long revised prompts
 * is a few hundred KB); it bounds the database row and the memory of every replay.
 */
export const MAX_STORED_RESPONSE_BYTES = 1024 * 1024;

function tooLargeToKeep(request: FastifyRequest): StoredResponse {
  const error = new PixapiError({
    code: 'idempotent_response_too_large',
    message: `The response to this Idempotency-Key was over ${MAX_STORED_RESPONSE_BYTES} bytes and was not kept, so it cannot be replayed. It was delivered once; use a new key for a new request.`,
  });
  return {
    status: error.status,
    headers: { 'content-type': JSON_TYPE, 'x-should-retry': 'false' },
    body: JSON.stringify(errorBody(error, request.id)),
  };
}

function stored(
  request: FastifyRequest,
  reply: FastifyReply,
  outcome: IdempotentOutcome,
): StoredResponse {
  const response = {
    status: outcome.status,
    headers: replayable({
      'content-type': JSON_TYPE,
      ...(reply.getHeaders() as Record<string, unknown>),
      ...outcome.headers,
    }),
    body: JSON.stringify(outcome.stored ?? outcome.body ?? null),
  };
  const size = Buffer.byteLength(response.body) + JSON.stringify(response.headers).length;
  // Replaying a different success would be wrong and running the work again would charge
  // twice: the key keeps a small error that says why it cannot replay.
  return size > MAX_STORED_RESPONSE_BYTES ? tooLargeToKeep(request) : response;
}

// The work is done and the client is owed its answer: a failure to store it is logged, not
// thrown. The key then stays in flight until its lock passes, and only then may run again.
async function keep(
  request: FastifyRequest,
  store: IdempotencyStore,
  accountId: string,
  key: string,
  response: StoredResponse,
): Promise<void> {
  try {
    await store.complete(accountId, key, response);
  } catch (error) {
    request.log.error({ err: error, idempotencyKey: key }, 'could not store idempotent response');
  }
}

async function forget(
  request: FastifyRequest,
  store: IdempotencyStore,
  accountId: string,
  key: string,
): Promise<void> {
  try {
    await store.release(accountId, key);
  } catch (error) {
    request.log.error({ err: error, idempotencyKey: key }, 'could not release idempotency key');
  }
}

/** The uploaded files of a multipart edit, for its fingerprint (by field and content hash). */
export function uploadedFiles(sources: EditSources | undefined) {
  if (!sources) return undefined;
  return [...sources.images, ...(sources.mask ? [sources.mask] : [])].flatMap((source) =>
    source.kind === 'file' ? [{ field: source.param, bytes: source.bytes }] : [],
  );
}
