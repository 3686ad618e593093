import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateAgainst } from './helpers/openai-schemas.js';
import { api, startTestServer, type TestServer } from './helpers/server.js';
import { waitForTask } from './helpers/tasks.js';

/**
 * Editing your own outputs: a URL of an asset this server stored is read from storage. The test
 * server's public URL (http://localhost:PORT) is one the guarded client would never fetch, and no
 * allow entry is set, so a success here can only come from storage.
 */

let server: TestServer;
let output: string;

beforeAll(async () => {
  server = await startTestServer();
  const res = await api(server.url, 'POST', '/v1/images/generations', {
    key: server.adminKey,
    body: { model: 'local-placeholder', prompt: 'a lighthouse', size: '256x256' },
  });
  output = (res.body.data as Array<{ url: string }>)[0]!.url;
  expect(output).toMatch(/^http:\/\/localhost:\d+\/v1\/assets\/ast_\w+\.png$/);
});
afterAll(async () => server?.close());

const edit = (key: string, image: string, path = '/v1/images/edits') =>
  api(server.url, 'POST', path, {
    key,
    body: { model: 'local-placeholder', prompt: 'add a boat', size: '256x256', image },
  });

describe('edits of this server’s own outputs', () => {
  it('read from storage, without an allow-list entry, and charged like any edit', async () => {
    const res = await edit(server.adminKey, output);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(validateAgainst('ImagesResponse', res.body)).toEqual([]);
    expect(res.body.billing).toEqual({ images: 1, credits: 1 });
  });

  it('the URL is the capability, as for a download: another account may use it', async () => {
    const other = await server.account(5);
    const res = await edit(other.apiKey, output);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  });

  it('in OpenAI’s form and in async tasks too', async () => {
    const json = await api(server.url, 'POST', '/v1/images/edits', {
      key: server.adminKey,
      body: { model: 'local-placeholder', prompt: 'x', images: [{ image_url: output }] },
    });
    expect(json.status, JSON.stringify(json.body)).toBe(200);
    const submitted = await edit(server.adminKey, output, '/v1/async/images/edits');
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(202);
    const task = await waitForTask(server.url, server.adminKey, submitted.body.id as string);
    expect(task.status).toBe('completed');
  });

  it('an unknown or expired asset answers 400 invalid_image, charging nothing', async () => {
    const before = await api(server.url, 'GET', '/v1/account', { key: server.adminKey });
    const missing = output.replace(/ast_\w+/, `ast_${'A'.repeat(22)}`);
    const res = await edit(server.adminKey, missing);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_image', param: 'image' });
    const after = await api(server.url, 'GET', '/v1/account', { key: server.adminKey });
    expect(after.body.balance).toBe(before.body.balance);
  });

  it('the same path on another origin keeps the guarded fetch (refused here)', async () => {
    const elsewhere = output.replace('//localhost:', '//127.0.0.1:');
    const res = await edit(server.adminKey, elsewhere);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'image_url_rejected', param: 'image' });
  });
});
