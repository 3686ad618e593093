import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAI } from './fakes/openai/index.js';
import { freePort, sampleOf } from './helpers/page-html.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const run = promisify(execFile);

// The quick-start samples of model pages are run as printed, against a server whose public
// URL is the loopback address the samples embed.
let server: TestServer;
let openai: FakeOpenAI;
let apiKey: string;
// Inside the project, so that the JavaScript samples resolve `openai` from node_modules.
const dir = path.resolve('test-results/samples');

beforeAll(async () => {
  openai = await startFakeOpenAI();
  const port = await freePort();
  server = await startTestServer({
    env: {
      PORT: String(port),
      PIXAPI_PUBLIC_URL: `http://127.0.0.1:${port}`,
      OPENAI_API_KEY: openai.apiKey,
      OPENAI_BASE_URL: openai.url,
    },
  });
  apiKey = (await server.account(100)).apiKey;
  fs.mkdirSync(dir, { recursive: true });
});
afterAll(async () => {
  await server?.close();
  await openai?.close();
});

async function page(model: string): Promise<string> {
  const response = await fetch(`${server.url}/models/${model}`);
  expect(response.status).toBe(200);
  return response.text();
}

async function runJs(name: string, code: string): Promise<string> {
  const file = path.join(dir, `${name}.mjs`);
  fs.writeFileSync(file, code);
  const { stdout } = await run(process.execPath, [file], {
    env: { ...process.env, PIXAPI_KEY: apiKey },
    timeout: 20_000,
  });
  return stdout.trim();
}

async function expectImage(url: string): Promise<void> {
  expect(url.startsWith(`${server.services.publicUrl()}/v1/assets/`)).toBe(true);
  const image = await fetch(url);
  expect(image.status).toBe(200);
  expect(image.headers.get('content-type')).toMatch(/^image\//);
}

describe.each(['local-placeholder', 'gpt-image-2'])('quick-start samples of %s', (model) => {
  it('curl', async () => {
    const html = await page(model);
    const { stdout } = await run('bash', ['-c', sampleOf(html, 'curl')], {
      env: { ...process.env, PIXAPI_KEY: apiKey },
    });
    const body = JSON.parse(stdout) as { model: string; data: Array<{ url: string }> };
    expect(body.model).toBe(model);
    await expectImage(body.data[0]!.url);
  });

  it('JavaScript with the OpenAI SDK', async () => {
    const url = await runJs(`${model}-sdk`, sampleOf(await page(model), 'js'));
    await expectImage(url);
  });

  it('asynchronous task with polling', async () => {
    const out = await runJs(`${model}-async`, sampleOf(await page(model), 'async'));
    const [status, url] = out.split(' ');
    expect(status).toBe('completed');
    await expectImage(url!);
  });
});
