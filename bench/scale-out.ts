import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { load, LOAD_SECONDS } from './lib.js';
import { startProcess, type Child } from './processes.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = path.join(root, 'bin/pixapi');
const CONNECTIONS = 32;
const DATABASE_URL =
  process.env.PIXAPI_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const ready = /"url":"(http:\/\/[^"]+)"/;

function createAccount(env: Record<string, string>): string {
  const out = execFileSync(
    process.execPath,
    [bin, 'accounts', 'create', '--name', 'bench', '--credits', '100000000', '--json'],
    { env: { PATH: process.env.PATH ?? '', ...env } },
  );
  return (JSON.parse(out.toString()) as { api_key: string }).api_key;
}

/** Sync generations spread evenly over the API processes at once; the sum of their rates. */
async function drive(urls: string[], key: string) {
  const results = await Promise.all(
    urls.map((url) =>
      load({
        name: url,
        url: `${url}/v1/images/generations`,
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'local-placeholder', prompt: 'bench', size: '64x64' }),
        connections: Math.ceil(CONNECTIONS / urls.length),
      }),
    ),
  );
  return {
    requestsPerSec: results.reduce((sum, r) => sum + r.requestsPerSec, 0),
    p99Ms: Math.max(...results.map((r) => r.p99Ms)),
    non2xx: results.reduce((sum, r) => sum + r.non2xx + r.errors, 0),
  };
}

/**
 * Sync generations (local model, 64x64, zero delay) through the embedded default (one
 * `pixapi serve` on SQLite) and through 2 then 3 `serve --no-worker` processes with 2 workers
 * on PostgreSQL: what adding API processes buys on this machine.
 */
export async function benchScaleOut(): Promise<void> {
  const rows: Array<[string, Awaited<ReturnType<typeof drive>>]> = [];
  const children: Child[] = [];
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pixapi-bench-scale-'));
  const schema = `pixapi_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: DATABASE_URL });
  try {
    const sqliteEnv = { PIXAPI_DATA_DIR: path.join(dataDir, 'sqlite'), PIXAPI_LOG_LEVEL: 'warn' };
    const sqliteKey = createAccount(sqliteEnv);
    const serve = await startProcess(
      process.execPath,
      [bin, 'serve'],
      { ...sqliteEnv, PORT: '0', HOST: '127.0.0.1', PIXAPI_LOG_LEVEL: 'info' },
      ready,
    );
    children.push(serve.child);
    rows.push(['SQLite, 1 serve (embedded default)', await drive([serve.match[1]!], sqliteKey)]);
    await serve.child.stop();

    await admin.connect();
    await admin.query(`create schema ${schema}`);
    const url = new URL(DATABASE_URL);
    url.searchParams.set('options', `-c search_path=${schema}`);
    const pgEnv = { DATABASE_URL: url.toString(), PIXAPI_DATA_DIR: path.join(dataDir, 'pg') };
    const key = createAccount(pgEnv);
    const startApi = async () => {
      const api = await startProcess(
        process.execPath,
        [bin, 'serve', '--no-worker'],
        { ...pgEnv, PORT: '0', HOST: '127.0.0.1', PIXAPI_LOG_LEVEL: 'info' },
        ready,
      );
      children.push(api.child);
      return api.match[1]!;
    };
    const urls = [await startApi(), await startApi()];
    for (let i = 0; i < 2; i++) {
      const worker = await startProcess(
        process.execPath,
        [bin, 'worker'],
        { ...pgEnv, PIXAPI_LOG_LEVEL: 'info' },
        /pixapi worker running/,
      );
      children.push(worker.child);
    }
    rows.push(['PostgreSQL, 2 API + 2 workers', await drive(urls, key)]);
    urls.push(await startApi());
    rows.push(['PostgreSQL, 3 API + 2 workers', await drive(urls, key)]);
  } catch (error) {
    console.log(`\n(scale-out bench incomplete: ${(error as Error).message})`);
  } finally {
    for (const child of children.splice(0).reverse()) await child.stop();
    await admin.query(`drop schema if exists ${schema}_queue cascade`).catch(() => undefined);
    await admin.query(`drop schema if exists ${schema} cascade`).catch(() => undefined);
    await admin.end().catch(() => undefined);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  console.log(
    `\n## Scale-out: sync generations, local model 64x64, ${CONNECTIONS} connections, ${LOAD_SECONDS} s (${os.cpus().length} CPUs, load average ${os.loadavg()[0]!.toFixed(1)})\n`,
  );
  console.log('| setup | requests/s | p99 ms | non-2xx |');
  console.log('| --- | ---: | ---: | ---: |');
  for (const [name, r] of rows) {
    console.log(`| ${name} | ${r.requestsPerSec.toFixed(0)} | ${r.p99Ms} | ${r.non2xx} |`);
  }
}
