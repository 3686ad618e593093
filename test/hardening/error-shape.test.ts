import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { generateApiKey } from '../../src/security/api-keys.js';
import { startServer, type RunningServer } from '../../src/server.js';

/** Sends raw bytes and returns the raw answer (the connection is closed by the server). */
function raw(url: string, request: string): Promise<string> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), '127.0.0.1', () => socket.write(request));
    let answer = '';
    socket.on('data', (d: Buffer) => (answer += d.toString()));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
  });
}

function bodyOf(answer: string): Record<string, unknown> {
  return JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as Record<string, unknown>;
}

const OPENAI_SHAPE = {
  error: {
    message: expect.any(String),
    type: 'invalid_request_error',
    param: null,
    code: expect.any(String),
  },
};

describe('error shape and logs for requests Fastify or Node refuse', () => {
  let server: RunningServer;
  let dataDir: string;
  const logs: Array<Record<string, unknown>> = [];
  const adminKey = generateApiKey().plaintext;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pixapi-errors-'));
    const sink = new Writable({
      write(chunk: Buffer, _encoding, next) {
        for (const line of chunk.toString().trim().split('\n')) logs.push(JSON.parse(line));
        next();
      },
    });
    const config = loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      PIXAPI_DATA_DIR: dataDir,
      PIXAPI_ADMIN_KEY: adminKey,
    });
    server = await startServer(config, { log: pino({ level: 'info' }, sink) });
  });
  afterAll(async () => {
    await server?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers a 5,000-character path parameter with 414 in OpenAI shape', async () => {
    const res = await fetch(`${server.url}/v1/tasks/${'x'.repeat(5000)}`, {
      headers: { authorization: `Bearer ${adminKey}` },
    });
    expect(res.status).toBe(414);
    expect(await res.json()).toMatchObject({ error: { code: 'uri_too_long' } });
  });

  it('answers a bare CR in a header with 400 in OpenAI shape', async () => {
    const answer = await raw(
      server.url,
      'GET /v1/models HTTP/1.1\r\nhost: 127.0.0.1\r\nx-evil: a\rb\r\n\r\n',
    );
    expect(answer.startsWith('HTTP/1.1 400')).toBe(true);
    expect(bodyOf(answer)).toMatchObject(OPENAI_SHAPE);
  });

  it('answers oversized headers with 431 in OpenAI shape', async () => {
    const answer = await raw(
      server.url,
      `GET /v1/models HTTP/1.1\r\nhost: 127.0.0.1\r\nx-big: ${'a'.repeat(20_000)}\r\n\r\n`,
    );
    expect(answer.startsWith('HTTP/1.1 431')).toBe(true);
    expect(bodyOf(answer)).toMatchObject({ error: { code: 'headers_too_large' } });
  });

  it('logs client mistakes at info without a stack, never as unhandled errors', async () => {
    logs.length = 0;
    const post = (body: string, type = 'application/json') =>
      fetch(`${server.url}/v1/images/generations`, {
        method: 'POST',
        headers: { authorization: `Bearer ${adminKey}`, 'content-type': type },
        body,
      });
    expect((await post('{"model": ')).status).toBe(400);
    expect((await post(`{"prompt":"${'a'.repeat(2 * 1024 * 1024)}"}`)).status).toBe(413);
    expect((await post('<x/>', 'application/xml')).status).toBe(415);
    const form = new FormData();
    form.set('image', new Blob([Buffer.alloc(26 * 1024 * 1024)]), 'big.png');
    const multipart = await fetch(`${server.url}/v1/images/edits`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminKey}` },
      body: form,
    });
    expect(multipart.status).toBe(413);
    const errors = logs.filter((line) => (line.level as number) >= 40);
    expect(errors).toEqual([]);
    expect(logs.some((line) => line.msg === 'unhandled error')).toBe(false);
    expect(logs.filter((line) => line.err !== undefined)).toEqual([]);
    // One info line per refusal, besides the completion line every request gets.
    const refusals = logs.filter(
      (line) => line.level === 30 && line.status === 413 && line.msg !== 'request completed',
    );
    expect(refusals.length).toBe(2);
  });
});
