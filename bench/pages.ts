import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pino } from 'pino';
import { loadConfig } from '../src/config.js';
import { generateApiKey } from '../src/security/api-keys.js';
import { startServer } from '../src/server.js';
import { loadWebAssets } from '../src/site/assets.js';
import { Site } from '../src/site/site.js';
import { load, percentile, printTable } from './lib.js';

/**
 * Public pages with the built-in catalog: the HTTP latency of each page type at one connection
 * (the target is under 100 ms server-side), against `/healthz` in the same run, and the render
 * time of every model page in-process.
 */
export async function benchPages(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pixapi-bench-'));
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    PIXAPI_DATA_DIR: dataDir,
    PIXAPI_LOG_LEVEL: 'warn',
    PIXAPI_ADMIN_KEY: generateApiKey().plaintext,
  });
  const server = await startServer(config, { log: pino({ level: 'fatal' }) });
  try {
    const paths = ['/healthz', '/', '/models', '/models/gpt-image-1.5', '/models/gpt-image-1.5.md'];
    const rows = [];
    for (const p of paths) {
      rows.push(
        await load({ name: `GET ${p}`, url: `${server.url}${p}`, method: 'GET', connections: 1 }),
      );
    }
    const baseline = rows[0];
    printTable(
      `Public pages, built-in catalog, 1 connection (${os.cpus().length} CPUs)`,
      rows,
      () => baseline,
    );

    const site = new Site({
      catalog: server.services.catalog,
      assets: loadWebAssets(),
      baseUrl: server.services.publicUrl,
    });
    const times: number[] = [];
    for (let round = 0; round < 20; round++) {
      for (const model of server.services.catalog.list()) {
        const start = performance.now();
        site.modelPage(model, round % 2 ? 'es' : 'en');
        times.push(performance.now() - start);
      }
    }
    times.sort((a, b) => a - b);
    console.log(
      `\nModel page render (renderToString), ${times.length} renders: p50 ${percentile(times, 50).toFixed(2)} ms, p99 ${percentile(times, 99).toFixed(2)} ms, max ${times.at(-1)!.toFixed(2)} ms`,
    );
  } finally {
    await server.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
