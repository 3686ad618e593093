import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/observability/logger.js';
import { startServer, type RunningServer } from '../src/server.js';
import { generateApiKey } from '../src/security/api-keys.js';
import { api } from './helpers/server.js';

type Line = Record<string, unknown>;

let running: { server: RunningServer; dir: string } | undefined;
afterEach(async () => {
  await running?.server.close();
  if (running) fs.rmSync(running.dir, { recursive: true, force: true });
  running = undefined;
});

/** A server whose JSON log lines are kept, as an operator's log shipper would see them. */
async function loggedServer(env: Record<string, string> = {}) {
  const lines: Line[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const text of chunk.toString('utf8').split('\n').filter(Boolean)) {
        lines.push(JSON.parse(text) as Line);
      }
      done();
    },
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pixapi-log-'));
  const adminKey = generateApiKey().plaintext;
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    PIXAPI_DATA_DIR: dir,
    PIXAPI_ADMIN_KEY: adminKey,
    ...env,
  });
  const server = await startServer(config, { log: createLogger('info', sink) });
  running = { server, dir };
  return { server, adminKey, lines };
}

const completions = (lines: Line[]) => lines.filter((l) => l.msg === 'request completed');

describe('the completion log line', () => {
  it('has the phase timings, model, route, attempts and credits, and no prompt by default', async () => {
    const { server, adminKey, lines } = await loggedServer();
    const res = await api(server.url, 'POST', '/v1/images/generations', {
      key: adminKey,
      body: { model: 'local-placeholder', prompt: 'private words', size: '64x64', n: 2 },
    });
    expect(res.status).toBe(200);
    await api(server.url, 'GET', '/v1/models');
    const [generation, models] = completions(lines);
    expect(completions(lines)).toHaveLength(2);
    expect(generation).toMatchObject({
      method: 'POST',
      path: '/v1/images/generations',
      status: 200,
      model: 'local-placeholder',
      route: 'local/local-placeholder',
      attempts: 1,
      credits: 2000,
      reqId: res.headers.get('x-request-id'),
    });
    const phases = generation!.phases as Record<string, number>;
    expect(Object.keys(phases).sort()).toEqual(
      ['auth', 'capture', 'checks', 'hold', 'limits', 'provider', 'storage'].sort(),
    );
    for (const ms of Object.values(phases)) expect(ms).toBeGreaterThanOrEqual(0);
    expect(models).toMatchObject({ path: '/v1/models', status: 200 });
    expect(models!.phases).toBeUndefined();
    expect(JSON.stringify(lines)).not.toContain('private words');
  });

  it('carries the prompt when PIXAPI_LOG_PROMPTS=on', async () => {
    const { server, adminKey, lines } = await loggedServer({ PIXAPI_LOG_PROMPTS: 'on' });
    await api(server.url, 'POST', '/v1/images/generations', {
      key: adminKey,
      body: { model: 'local-placeholder', prompt: 'shared words', size: '64x64' },
    });
    expect(completions(lines)[0]).toMatchObject({ prompt: 'shared words' });
  });
});
