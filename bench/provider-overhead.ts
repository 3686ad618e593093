import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { load, printTable, type LoadOptions, type LoadResult } from './lib.js';
import { startProcess, type Child } from './processes.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = path.join(root, 'bin/pixapi');
const portkey = path.join(root, 'node_modules/@portkey-ai/gateway/build/start-server.js');

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** A load against `server`, with its main-thread CPU per request and its peak RSS meanwhile. */
async function measured(server: Child, options: LoadOptions): Promise<LoadResult> {
  server.resetPeakRss();
  const cpuBefore = server.mainThreadCpuMs();
  const result = await load(options);
  const cpuAfter = server.mainThreadCpuMs();
  return {
    ...result,
    mainThreadMsPerRequest:
      cpuBefore !== undefined && cpuAfter !== undefined && result.totalRequests > 0
        ? (cpuAfter - cpuBefore) / result.totalRequests
        : undefined,
    peakRssMiB: server.peakRssMiB(),
  };
}

/**
 * The cost of Pixapi in front of a fast provider: a fake OpenAI that answers a precomputed
 * 1024×1024 PNG in well under a millisecond, called directly, through Pixapi with full billing
 * (b64_json and url) and through the Portkey gateway (no billing), at 1 and 32 connections.
 * Each server is its own process; the load generator runs here. Ratios are against the direct
 * calls of the same run, at the same number of connections.
 */
export async function benchProviderOverhead(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pixapi-bench-'));
  const children: Child[] = [];
  try {
    const fake = await startProcess(
      process.execPath,
      // Through node itself (not the tsx launcher), so that /proc shows the server's own thread.
      ['--import', 'tsx', path.join(root, 'bench/servers/fast-openai.ts')],
      {},
      /(\{.*"url".*\})\n/,
    );
    children.push(fake.child);
    const upstream = JSON.parse(fake.match[1]!) as {
      url: string;
      apiKey: string;
      answerBytes: number;
    };

    const env = {
      PIXAPI_DATA_DIR: dataDir,
      PIXAPI_LOG_LEVEL: 'warn',
      OPENAI_API_KEY: upstream.apiKey,
      OPENAI_BASE_URL: upstream.url,
    };
    const account = JSON.parse(
      execFileSync(
        process.execPath,
        [bin, 'accounts', 'create', '--name', 'bench', '--credits', '100000000', '--json'],
        { env: { PATH: process.env.PATH ?? '', ...env } },
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
    const pixapiUrl = `http://127.0.0.1:${pixapiPort}`;
    const rows: LoadResult[] = [];
    for (const connections of [1, 32]) {
      rows.push(
        await measured(fake.child, {
          name: 'OpenAI fake, direct',
          connections,
          url: `${upstream.url}/images/generations`,
          headers: { ...json, authorization: `Bearer ${upstream.apiKey}` },
          body: JSON.stringify(request),
        }),
      );
      for (const format of ['b64_json', 'url']) {
        rows.push(
          await measured(pixapi.child, {
            name: `Pixapi, ${format}`,
            connections,
            url: `${pixapiUrl}/v1/images/generations`,
            headers: { ...json, authorization: `Bearer ${account.api_key}` },
            body: JSON.stringify({ ...request, response_format: format }),
          }),
        );
      }
      rows.push(
        await measured(gateway.child, {
          name: 'Portkey gateway (no billing)',
          connections,
          url: `http://127.0.0.1:${portkeyPort}/v1/images/generations`,
          headers: {
            ...json,
            authorization: `Bearer ${upstream.apiKey}`,
            'x-portkey-provider': 'openai',
            'x-portkey-custom-host': upstream.url,
          },
          body: JSON.stringify(request),
        }),
      );
    }
    rows.push(
      await measured(pixapi.child, {
        name: 'Pixapi, GET /v1/models (framework + auth)',
        connections: 32,
        method: 'GET',
        url: `${pixapiUrl}/v1/models`,
        headers: { authorization: `Bearer ${account.api_key}` },
      }),
    );
    printTable(
      `gpt-image-2.6-flare 1024x1024 against a fast OpenAI fake (${(upstream.answerBytes / 1024).toFixed(0)} KiB answer), ${os.cpus().length} CPUs`,
      rows,
      (row) =>
        rows.find((r) => r.name === 'OpenAI fake, direct' && r.connections === row.connections),
    );
  } finally {
    for (const child of children.reverse()) await child.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
