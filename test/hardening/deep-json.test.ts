import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';

const POSTS = [
  '/v1/images/generations',
  '/v1/images/edits',
  '/v1/async/images/generations',
  '/v1/async/images/edits',
  '/v1/tasks/task_x/cancel',
  '/v1/account/webhook-secret/rotate',
];

describe('deeply nested JSON', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('answers 400 invalid_body on every POST, with or without an Idempotency-Key', async () => {
    const deep = `{"model":"local-placeholder","prompt":"x","metadata":${'['.repeat(5000)}${']'.repeat(5000)}}`;
    for (const path of POSTS) {
      for (const headers of [{}, { 'idempotency-key': `deep-${path}` }] as Array<
        Record<string, string>
      >) {
        const res = await fetch(`${server.url}${path}`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${server.adminKey}`,
            'content-type': 'application/json',
            ...headers,
          },
          body: deep,
        });
        expect(res.status, path).toBe(400);
        expect(await res.json(), path).toMatchObject({ error: { code: 'invalid_body' } });
      }
    }
  });

  it('accepts ordinary nesting', async () => {
    const res = await fetch(`${server.url}/v1/images/generations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.adminKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'local-placeholder',
        prompt: 'a fox',
        size: '256x256',
        metadata: { a: 'b' },
      }),
    });
    expect(res.status).toBe(200);
  });
});
