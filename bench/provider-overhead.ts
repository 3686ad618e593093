import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { load, printTable } from './lib.js';
import { startProcess, type Child } from './processes.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = path.join(root, 'bin/pixapi');
const tsx = path.join(root, 'node_modules/.bin/tsx');
const portkey = path.join(root, 'node_modules/@portkey-ai/gateway/build/start-server.js');

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * The cost of Pixapi in front of a provider: the OpenAI fake called directly, through Pixapi
 * (b64_json and url) and through the Portkey gateway, under the same load. Each server is its
 * own process; the load generator runs here.
 */
export async function benchProviderOverhead(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pixapi-bench-'));
  const children: Child[] = [];
  try {
    const fake = await startProcess(
      tsx,
      [path.join(root, 'bench/servers/fake-openai.ts')],
      {},
      /(\{.*"url".*\})\n/,
    );
    children.push(fake.child);
    const { url: fakeUrl, apiKey: fakeKey } = JSON.parse(fake.match[1]!) as {
      url: string;
      apiKey: string;
    };

    const env = {
      PIXAPI_DATA_DIR: dataDir,
      PIXAPI_LOG_LEVEL: 'warn',
      OPENAI_API_KEY: fakeKey,
      OPENAI_BASE_URL: fakeUrl,
    };
    const account = JSON.parse(
      execFileSync(
        process.execPath,
        [bin, 'accounts', 'create', '--name', 'bench', '--credits', '100000000', '--json'],
        {
          env: { PATH: process.env.PATH ?? '', ...env },
        },
      ).toString(),
    ) as { api_key: string };
    const pixapiPort = await freePort();
    const pixapi = await startProcess(
      process.execPath,
      [bin, 'serve'],
      { ...env, PORT: String(pixapiPort), HOST: '127.0.0.1', PIXAPI_LOG_LEVEL: 'info' },
      /"url":"(http:\/\/[^"]+)"/,
    );
    children.push(pixapi.child);

    const portkeyPort = await freePort();
    const gateway = await startProcess(
      process.execPath,
      [portkey, '--headless', `--port=${portkeyPort}`],
      {},
      /Ready for connections/,
    );
    children.push(gateway.child);

    const request = {
      model: 'gpt-image-2.6-flare',
      prompt: 'benchmark',
      size: '1024x1024',
      quality: 'low',
    };
    const json = { 'content-type': 'application/json' };
    const direct = await load({
      name: 'OpenAI fake, direct',
      url: `${fakeUrl}/images/generations`,
      headers: { ...json, authorization: `Bearer ${fakeKey}` },
      body: JSON.stringify(request),
    });
    const rows = [direct];
    for (const format of ['b64_json', 'url']) {
      rows.push(
        await load({
          name: `through Pixapi, ${format}`,
          url: `http://127.0.0.1:${pixapiPort}/v1/images/generations`,
          headers: { ...json, authorization: `Bearer ${account.api_key}` },
          body: JSON.stringify({ ...request, response_format: format }),
        }),
      );
    }
    rows.push(
      await load({
        name: 'through Portkey gateway',
        url: `http://127.0.0.1:${portkeyPort}/v1/images/generations`,
        headers: {
          ...json,
          authorization: `Bearer ${fakeKey}`,
          'x-portkey-provider': 'openai',
          'x-portkey-custom-host': fakeUrl,
        },
        body: JSON.stringify(request),
      }),
    );
    printTable(
      `gpt-image-2.6-flare 1024x1024 against the OpenAI fake, 32 connections, 10 s each (${os.cpus().length} CPUs)`,
      rows,
      direct,
    );
    console.log(`\nPixapi peak RSS: ${pixapi.child.peakRssMiB()?.toFixed(0) ?? '?'} MiB`);
  } finally {
    for (const child of children.reverse()) await child.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
