import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startTestServer, type TestServer } from './helpers/server.js';
import { waitForTask, type Task } from './helpers/tasks.js';

/**
 * A request's deadline ends with the request. A deadline left running (AbortSignal.timeout)
 * kept every finished request's images in memory until it fired: 2.5 GB at 700 req/s with the
 * default 120 s timeout. Observable from outside as the signal a provider was handed aborting
 * after the request had already been answered.
 */
describe('request deadlines end with the request', () => {
  let server: TestServer;
  let key: string;
  const signals: AbortSignal[] = [];
  beforeAll(async () => {
    server = await startTestServer({ env: { PIXAPI_SYNC_TIMEOUT_S: '1' } });
    key = (await server.account(100)).apiKey;
    // A spy that keeps the signal each attempt runs under; the attempt itself runs as is.
    const generation = server.services.generation;
    const attempt = generation.attempt.bind(generation);
    generation.attempt = (caller, request, extra, options) => {
      signals.push(options.signal);
      return attempt(caller, request, extra, options);
    };
  });
  afterAll(async () => server?.close());

  const body = { model: 'local-placeholder', prompt: 'deadline', size: '32x32' };

  it('sync: the deadline is gone once the answer is sent', async () => {
    signals.length = 0;
    const answer = await api(server.url, 'POST', '/v1/images/generations', { key, body });
    expect(answer.status).toBe(200);
    expect(signals).toHaveLength(1);
    await sleep(1_300);
    expect(signals[0]!.aborted).toBe(false);
  });

  it('async: the deadline is gone once the task has ended', async () => {
    signals.length = 0;
    const submitted = await api<Task>(server.url, 'POST', '/v1/async/images/generations', {
      key,
      body,
    });
    expect(submitted.status).toBe(202);
    expect((await waitForTask(server.url, key, submitted.body.id)).status).toBe('completed');
    expect(signals).toHaveLength(1);
    await sleep(1_300);
    expect(signals[0]!.aborted).toBe(false);
  });
});
