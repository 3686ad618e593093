import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../test/helpers/database.js';
import type { Db } from '../db/connection.js';
import { PixapiError, invalidRequest } from '../errors.js';
import { IdempotencyStore } from '../idempotency/store.js';
import { registerErrorHandler } from './error-handler.js';
import {
  MAX_STORED_RESPONSE_BYTES,
  fingerprint,
  idempotent,
  parseIdempotencyKey,
} from './idempotency.js';

interface Deferred {
  promise: Promise<void>;
  resolve(): void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

type Mode = 'ok' | 'hold' | 'fail-500' | 'fail-400' | 'rate-limited' | 'stream' | 'huge';

describe('idempotent()', () => {
  let handle: { db: Db; close(): Promise<void> };
  let app: FastifyInstance;
  let mode: Mode;
  let runs: number;
  let started: Deferred;
  let gate: Deferred;
  const accountId = 'acc_http_idem';

  beforeAll(async () => {
    handle = await openTestDatabase('sqlite');
    await handle.db.kysely
      .insertInto('accounts')
      .values({
        id: accountId,
        name: 'idem',
        is_admin: 0,
        webhook_secret: 'whsec_x',
        created_at: 0,
      })
      .execute();
    const store = new IdempotencyStore(handle.db);
    app = Fastify();
    registerErrorHandler(app);
    app.post('/v1/things', async (request, reply) =>
      idempotent({
        request,
        reply,
        store,
        accountId,
        fingerprint: () => fingerprint('POST', '/v1/things', request.body),
        run: async () => {
          const n = ++runs;
          started.resolve();
          if (mode === 'hold') await gate.promise;
          if (mode === 'fail-500') throw new Error('boom');
          if (mode === 'fail-400') throw invalidRequest('invalid_value', 'Bad prompt.', 'prompt');
          if (mode === 'rate-limited') {
            throw new PixapiError({
              code: 'rate_limit_exceeded',
              message: 'Slow down.',
              headers: { 'retry-after': '1' },
            });
          }
          if (mode === 'stream') {
            reply.hijack();
            reply.raw.writeHead(200, { 'content-type': 'text/event-stream' });
            reply.raw.end(`event: done\ndata: ${n}\n\n`);
            return { status: 200, body: undefined, streamed: true };
          }
          if (mode === 'huge') {
            return { status: 201, body: { run: n, text: 'x'.repeat(MAX_STORED_RESPONSE_BYTES) } };
          }
          return {
            status: 201,
            body: { run: n, echo: request.body },
            headers: { 'x-pixapi-credits-charged': '4', 'x-not-replayed': 'x' },
          };
        },
      }),
    );
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await handle?.close();
  });
  beforeEach(() => {
    mode = 'ok';
    runs = 0;
    started = deferred();
    gate = deferred();
  });

  let keys = 0;
  const newKey = () => `key-${Date.now()}-${++keys}`;
  const post = (body: unknown, key?: string) =>
    app.inject({
      method: 'POST',
      url: '/v1/things',
      payload: body as Record<string, unknown>,
      headers: key === undefined ? {} : { 'idempotency-key': key },
    });

  it('without a key, runs every time', async () => {
    await post({ a: 1 });
    await post({ a: 1 });
    expect(runs).toBe(2);
  });

  it('replays the first response with idempotent-replayed: true and an identical body', async () => {
    const key = newKey();
    const first = await post({ prompt: 'cat', n: 1 }, key);
    const second = await post({ prompt: 'cat', n: 1 }, key);
    expect(runs).toBe(1);
    expect(first.statusCode).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(second.statusCode).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.body).toBe(first.body);
    expect(second.headers['content-type']).toBe(first.headers['content-type']);
    expect(second.headers['x-pixapi-credits-charged']).toBe('4');
    expect(second.headers['x-not-replayed']).toBeUndefined();
  });

  it('keeps no response over the cap: the key answers why, and never runs twice', async () => {
    mode = 'huge';
    const key = newKey();
    const first = await post({ prompt: 'big' }, key);
    expect(first.statusCode).toBe(201);
    expect(first.body.length).toBeGreaterThan(MAX_STORED_RESPONSE_BYTES);
    const row = await handle.db.kysely
      .selectFrom('idempotency_keys')
      .select('response_body')
      .where('account_id', '=', accountId)
      .where('key', '=', key)
      .executeTakeFirstOrThrow();
    expect(row.response_body!.length).toBeLessThan(1000);
    const second = await post({ prompt: 'big' }, key);
    expect(runs).toBe(1);
    expect(second.statusCode).toBe(422);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.json().error.code).toBe('idempotent_response_too_large');
  });

  it('treats a body with its keys in another order as the same request', async () => {
    const key = newKey();
    await post({ prompt: 'cat', options: { a: 1, b: 2 } }, key);
    const second = await post({ options: { b: 2, a: 1 }, prompt: 'cat' }, key);
    expect(second.statusCode).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(runs).toBe(1);
  });

  it('answers 409 while the first request is in flight, then replays', async () => {
    mode = 'hold';
    const key = newKey();
    const first = post({ prompt: 'slow' }, key);
    await started.promise;
    const during = await post({ prompt: 'slow' }, key);
    expect(during.statusCode).toBe(409);
    expect(during.json().error).toMatchObject({
      type: 'invalid_request_error',
      code: 'idempotency_in_flight',
      param: null,
    });
    expect(during.headers['x-should-retry']).toBe('true');
    gate.resolve();
    expect((await first).statusCode).toBe(201);
    const after = await post({ prompt: 'slow' }, key);
    expect(after.headers['idempotent-replayed']).toBe('true');
    expect(runs).toBe(1);
  });

  it('answers 422 when the key is reused with another body', async () => {
    const key = newKey();
    await post({ prompt: 'cat' }, key);
    const other = await post({ prompt: 'dog' }, key);
    expect(other.statusCode).toBe(422);
    expect(other.json().error).toMatchObject({
      type: 'invalid_request_error',
      code: 'idempotency_key_reused',
    });
    expect(other.headers['x-should-retry']).toBe('false');
    expect(runs).toBe(1);
  });

  it.each([
    ['empty', ''],
    ['too long', 'k'.repeat(256)],
    ['non-ASCII', 'clé'],
    ['control character', 'a\tb'],
  ])('rejects an invalid key header (%s) with 400 before running', async (_name, key) => {
    const response = await post({ prompt: 'cat' }, key);
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({
      type: 'invalid_request_error',
      code: 'invalid_idempotency_key',
      param: null,
    });
    expect(runs).toBe(0);
  });

  it('accepts a key of 255 printable characters', async () => {
    const key = `${keys++}`.padEnd(255, '~');
    expect((await post({ prompt: 'cat' }, key)).statusCode).toBe(201);
    expect((await post({ prompt: 'cat' }, key)).headers['idempotent-replayed']).toBe('true');
  });

  it('releases the key on a 5xx, so that the retry runs again and is then stored', async () => {
    const key = newKey();
    mode = 'fail-500';
    const failed = await post({ prompt: 'cat' }, key);
    expect(failed.statusCode).toBe(500);
    expect(failed.json().error.code).toBe('internal_error');
    mode = 'ok';
    const retried = await post({ prompt: 'cat' }, key);
    expect(retried.statusCode).toBe(201);
    expect(retried.headers['idempotent-replayed']).toBeUndefined();
    expect(runs).toBe(2);
    expect((await post({ prompt: 'cat' }, key)).headers['idempotent-replayed']).toBe('true');
    expect(runs).toBe(2);
  });

  it('releases the key on a 429', async () => {
    const key = newKey();
    mode = 'rate-limited';
    const limited = await post({ prompt: 'cat' }, key);
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBe('1');
    mode = 'ok';
    expect((await post({ prompt: 'cat' }, key)).statusCode).toBe(201);
    expect(runs).toBe(2);
  });

  it('stores a thrown 4xx and replays it as it was rendered', async () => {
    const key = newKey();
    mode = 'fail-400';
    const first = await post({ prompt: 'cat' }, key);
    expect(first.statusCode).toBe(400);
    mode = 'ok';
    const second = await post({ prompt: 'cat' }, key);
    expect(second.statusCode).toBe(400);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.headers['x-should-retry']).toBe('false');
    expect(second.body).toBe(first.body);
    expect(second.json().error).toMatchObject({ code: 'invalid_value', param: 'prompt' });
    expect(runs).toBe(1);
  });

  it('never stores a streamed response', async () => {
    const key = newKey();
    mode = 'stream';
    const first = await post({ prompt: 'cat', stream: true }, key);
    expect(first.body).toContain('data: 1');
    const second = await post({ prompt: 'cat', stream: true }, key);
    expect(second.body).toContain('data: 2');
    expect(second.headers['idempotent-replayed']).toBeUndefined();
  });
});

describe('fingerprint', () => {
  it('is stable across key order at every depth', () => {
    const a = fingerprint('POST', '/p', { b: 1, a: { y: [1, { q: 1, p: 2 }], x: null } });
    const b = fingerprint('post', '/p', { a: { x: null, y: [1, { p: 2, q: 1 }] }, b: 1 });
    expect(a).toBe(b);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
  });

  it('differs by method, path, body, array order and files', () => {
    const base = fingerprint('POST', '/p', { a: [1, 2] });
    expect(fingerprint('PUT', '/p', { a: [1, 2] })).not.toBe(base);
    expect(fingerprint('POST', '/q', { a: [1, 2] })).not.toBe(base);
    expect(fingerprint('POST', '/p', { a: [2, 1] })).not.toBe(base);
    const image = { field: 'image', bytes: Buffer.from('png-1') };
    const withFile = fingerprint('POST', '/p', { a: [1, 2] }, [image]);
    expect(withFile).not.toBe(base);
    expect(
      fingerprint('POST', '/p', { a: [1, 2] }, [{ ...image, bytes: Buffer.from('png-1') }]),
    ).toBe(withFile);
    expect(
      fingerprint('POST', '/p', { a: [1, 2] }, [{ ...image, bytes: Buffer.from('png-2') }]),
    ).not.toBe(withFile);
    expect(fingerprint('POST', '/p', { a: [1, 2] }, [{ ...image, field: 'mask' }])).not.toBe(
      withFile,
    );
  });
});

describe('parseIdempotencyKey', () => {
  it('returns undefined when absent and the key when valid', () => {
    expect(parseIdempotencyKey(undefined)).toBeUndefined();
    expect(parseIdempotencyKey('stainless-python-retry-6b1e')).toBe('stainless-python-retry-6b1e');
  });

  it('rejects non-strings and out-of-range values', () => {
    for (const bad of ['', 'x'.repeat(256), 'é', ['a', 'b'], 42]) {
      expect(() => parseIdempotencyKey(bad)).toThrow(PixapiError);
    }
  });
});
