import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';

/**
 * Sends headers and the first `sent` bytes of a body that claims `declared` bytes, then
 * trickles one more byte every `trickleMs` (never finishing when `trickleMs` is set). Resolves
 * with the answer, or with 'closed' when the server drops the connection without one.
 */
function partialPost(
  url: string,
  options: { key: string; path: string; declared: number; sent: number; trickleMs?: number },
): Promise<{ status: number; body: string } | 'closed'> {
  return new Promise((resolve) => {
    const req = http.request(`${url}${options.path}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${options.key}`,
        'content-type': 'application/json',
        'content-length': String(options.declared),
      },
    });
    let timer: NodeJS.Timeout | undefined;
    const done = (value: { status: number; body: string } | 'closed') => {
      clearInterval(timer);
      req.destroy();
      resolve(value);
    };
    req.on('response', (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => done({ status: res.statusCode ?? 0, body }));
      res.on('error', () => done('closed'));
    });
    req.on('error', () => done('closed'));
    req.on('close', () => setImmediate(() => done('closed')));
    req.write(`{"prompt":"${'a'.repeat(Math.max(0, options.sent - 12))}`);
    if (options.trickleMs) timer = setInterval(() => req.write('a'), options.trickleMs);
  });
}

describe('bodies of hostile clients', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { PIXAPI_REQUEST_TIMEOUT_S: '2' } });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('refuses a bad key before reading the body', async () => {
    // 60 MB announced, 1 KB sent: the answer can only come before the body.
    const answer = await Promise.race([
      partialPost(server.url, {
        key: 'sk_pix_wrong',
        path: '/v1/images/edits',
        declared: 60 * 1024 * 1024,
        sent: 1024,
      }),
      sleep(10_000).then(() => 'closed' as const),
    ]);
    expect(answer).not.toBe('closed');
    const { status, body } = answer as { status: number; body: string };
    expect(status).toBe(401);
    expect(JSON.parse(body)).toMatchObject({ error: { code: 'invalid_api_key' } });
  });

  it('cuts off a body that trickles in slower than the request timeout allows', async () => {
    const started = Date.now();
    const answer = partialPost(server.url, {
      key: server.adminKey,
      path: '/v1/images/generations',
      declared: 10_000,
      sent: 100,
      trickleMs: 200,
    });
    // The sender would need ~33 minutes; the server must end it long before the test does.
    const outcome = await Promise.race([answer, sleep(15_000).then(() => 'still open' as const)]);
    expect(outcome).not.toBe('still open');
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_500);
  });
});
