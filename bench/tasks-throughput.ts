import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { startProcess, type Child } from './processes.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = path.join(root, 'bin/pixapi');
const TASKS = 2000;
/** Tasks run first and not counted: the first requests load modules and warm the JIT. */
const WARM_UP_TASKS = 200;
const CONNECTIONS = 32;
const DATABASE_URL =
  process.env.PIXAPI_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function call(url: string, key: string, init: { method?: string; body?: unknown } = {}) {
  const res = await fetch(url, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  return { status: res.status, body: (await res.json()) as { data?: unknown[]; id?: string } };
}

/**
 * Submits TASKS tasks over CONNECTIONS parallel clients (after WARM_UP_TASKS not counted), then
 * waits until none is pending.
 * `server` is the process that submits (and, embedded, runs) the tasks: its main-thread CPU per
 * task is the figure that holds on a busy machine, where rates follow the neighbours' load.
 */
async function drive(base: string, key: string, server: Child) {
  await submitAndDrain(base, key, WARM_UP_TASKS);
  return submitAndDrain(base, key, TASKS, server);
}

async function submitAndDrain(base: string, key: string, tasks: number, server?: Child) {
  const latencies: number[] = [];
  let next = 0;
  const cpuBefore = server?.mainThreadCpuMs();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (next < tasks) {
        next++;
        const t0 = performance.now();
        const res = await call(`${base}/v1/async/images/generations`, key, {
          method: 'POST',
          body: { model: 'local-placeholder', prompt: 'bench', size: '64x64' },
        });
        latencies.push(performance.now() - t0);
        if (res.status !== 202) throw new Error(`submit answered ${res.status}`);
      }
    }),
  );
  const submitted = performance.now();
  // Bounded wait: at most two minutes for the queue to drain.
  for (let i = 0; i < 1200; i++) {
    const pending = await Promise.all(
      ['submitted', 'processing'].map((s) => call(`${base}/v1/tasks?status=${s}&limit=1`, key)),
    );
    if (pending.every((p) => p.body.data?.length === 0)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const done = performance.now();
  const cpuAfter = server?.mainThreadCpuMs();
  const failed = await call(`${base}/v1/tasks?status=failed&limit=100`, key);
  latencies.sort((a, b) => a - b);
  return {
    tasksPerSec: tasks / ((done - started) / 1000),
    submitPerSec: tasks / ((submitted - started) / 1000),
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    failed: failed.body.data?.length ?? 0,
    mainThreadMsPerTask:
      cpuBefore === undefined || cpuAfter === undefined
        ? undefined
        : (cpuAfter - cpuBefore) / tasks,
    loadAverage: os.loadavg()[0]!,
  };
}

function createAccount(env: Record<string, string>): string {
  const out = execFileSync(
    process.execPath,
    [bin, 'accounts', 'create', '--name', 'bench', '--credits', '100000000', '--json'],
    { env: { PATH: process.env.PATH ?? '', ...env } },
  );
  return (JSON.parse(out.toString()) as { api_key: string }).api_key;
}

type TasksResult = Awaited<ReturnType<typeof drive>> & { peakRssMiB: number | undefined };

const ready = /"url":"(http:\/\/[^"]+)"/;

/**
 * Tasks end to end (submit → completed) with the local model at zero delay: embedded (SQLite,
 * the worker inside `pixapi serve`) and scale-out (PostgreSQL + pg-boss, `serve --no-worker`
 * and two `pixapi worker` processes).
 */
export async function benchTasks(): Promise<void> {
  const rows: Array<[string, TasksResult]> = [];
  const children: Child[] = [];
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pixapi-bench-tasks-'));
  try {
    const sqliteEnv = { PIXAPI_DATA_DIR: path.join(dataDir, 'sqlite'), PIXAPI_LOG_LEVEL: 'info' };
    const key = createAccount(sqliteEnv);
    const serve = await startProcess(
      process.execPath,
      [bin, 'serve'],
      { ...sqliteEnv, PORT: '0', HOST: '127.0.0.1' },
      ready,
    );
    children.push(serve.child);
    rows.push([
      'SQLite, embedded worker',
      { ...(await drive(serve.match[1]!, key, serve.child)), peakRssMiB: serve.child.peakRssMiB() },
    ]);
    await serve.child.stop();
  } finally {
    for (const child of children.splice(0)) await child.stop();
  }

  const schema = `pixapi_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: DATABASE_URL });
  try {
    await admin.connect();
  } catch (error) {
    console.log(
      `\n(PostgreSQL at ${DATABASE_URL} unreachable: ${(error as Error).message}; skipped)`,
    );
    printTasks(rows);
    fs.rmSync(dataDir, { recursive: true, force: true });
    return;
  }
  try {
    await admin.query(`create schema ${schema}`);
    const url = new URL(DATABASE_URL);
    url.searchParams.set('options', `-c search_path=${schema}`);
    const pgEnv = {
      DATABASE_URL: url.toString(),
      PIXAPI_DATA_DIR: path.join(dataDir, 'pg'),
      PIXAPI_LOG_LEVEL: 'info',
    };
    const key = createAccount(pgEnv);
    const serve = await startProcess(
      process.execPath,
      [bin, 'serve', '--no-worker'],
      { ...pgEnv, PORT: '0', HOST: '127.0.0.1' },
      ready,
    );
    children.push(serve.child);
    for (let i = 0; i < 2; i++) {
      const worker = await startProcess(
        process.execPath,
        [bin, 'worker'],
        pgEnv,
        /pixapi worker running/,
      );
      children.push(worker.child);
    }
    rows.push([
      'PostgreSQL, 2 worker processes',
      { ...(await drive(serve.match[1]!, key, serve.child)), peakRssMiB: serve.child.peakRssMiB() },
    ]);
  } finally {
    for (const child of children.splice(0).reverse()) await child.stop();
    await admin.query(`drop schema if exists ${schema}_queue cascade`);
    await admin.query(`drop schema if exists ${schema} cascade`);
    await admin.end();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  printTasks(rows);
}

function printTasks(rows: Array<[string, TasksResult]>): void {
  console.log(
    `\n## Tasks end to end, local model, ${TASKS} tasks after ${WARM_UP_TASKS} of warm-up, ${CONNECTIONS} clients (${os.cpus().length} CPUs)\n`,
  );
  console.log(
    '| setup | tasks/s (submit → all completed) | submits/s | submit p50 ms | submit p99 ms | failed | API main thread ms/task | server peak RSS MiB | load avg |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const [name, r] of rows) {
    console.log(
      `| ${name} | ${r.tasksPerSec.toFixed(0)} | ${r.submitPerSec.toFixed(0)} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.failed} | ${r.mainThreadMsPerTask?.toFixed(2) ?? '–'} | ${r.peakRssMiB?.toFixed(0) ?? '–'} | ${r.loadAverage.toFixed(1)} |`,
    );
  }
}
