import fs from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { loadConfig } from '../src/config.js';
import { Metrics } from '../src/observability/metrics.js';
import { generateApiKey } from '../src/security/api-keys.js';
import { startServer } from '../src/server.js';
import { load, printTable, type LoadResult } from './lib.js';

const REDIS_URL = process.env.PIXAPI_BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Limits high enough never to refuse, so that each request pays for every check. */
const GENEROUS = {
  rpm: 1_000_000,
  imagesPerMinute: 1_000_000,
  maxConcurrent: 10_000,
  dailyCredits: 1_000_000_000_000,
  monthlyCredits: 1_000_000_000_000,
};

async function redisReachable(): Promise<boolean> {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0 });
  try {
    await redis.connect();
    await redis.ping();
    return true;
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

/** An OTLP/HTTP sink that accepts and drops spans, so that tracing is measured, not a collector. */
async function startSpanSink() {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** One load of small local generations on a server started with `env`, limits optional. */
async function measure(
  name: string,
  env: Record<string, string>,
  limits: boolean,
): Promise<LoadResult> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pixapi-bench-'));
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    PIXAPI_DATA_DIR: dataDir,
    PIXAPI_LOG_LEVEL: 'warn',
    PIXAPI_ADMIN_KEY: generateApiKey().plaintext,
    ...env,
  });
  const server = await startServer(config, { log: pino({ level: 'fatal' }) });
  try {
    const account = await server.services.accounts.create({
      name: 'bench',
      credits: 100_000_000 * 1000,
    });
    if (limits) await server.services.limitStore.updateAccount(account.accountId, GENEROUS);
    return await load({
      name,
      url: `${server.url}/v1/images/generations`,
      headers: { authorization: `Bearer ${account.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'local-placeholder',
        prompt: 'benchmark',
        size: '64x64',
        response_format: 'url',
      }),
    });
  } finally {
    await server.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** What recording one request's metrics costs, timed over many calls in this process. */
function metricsCostPerRequest(): number {
  const metrics = new Metrics({ db: undefined as never, breakers: () => [] });
  const calls = 200_000;
  const once = () => {
    metrics.http('/v1/images/generations', 'POST', 200, 0.012);
    metrics.providerAttempt({
      provider: 'local',
      route: 'local/placeholder',
      outcome: 'success',
      seconds: 0.004,
    });
    metrics.usage({
      requestId: 'r',
      accountId: 'a',
      keyId: 'k',
      model: 'local-placeholder',
      requestedModel: 'local-placeholder',
      route: 'local/placeholder',
      endpoint: 'images.generations',
      status: 'succeeded',
      errorCode: null,
      images: 1,
      credits: 1000,
      latencyMs: 12,
    } as Parameters<Metrics['usage']>[0]);
  };
  for (let i = 0; i < 10_000; i++) once();
  const started = performance.now();
  for (let i = 0; i < calls; i++) once();
  return ((performance.now() - started) * 1000) / calls;
}

/**
 * What operations features cost per request: limits in process and on Redis, and tracing to a
 * sink, each against a baseline without, measured in this run (issue #14).
 */
export async function benchOperations(): Promise<void> {
  const rows: LoadResult[] = [];
  const baseline = await measure('baseline: no limits, tracing off', {}, false);
  rows.push(baseline);
  rows.push(await measure('limits on every check, in-process counters', {}, true));
  if (await redisReachable()) {
    rows.push(await measure('limits on every check, Redis counters', { REDIS_URL }, true));
  } else {
    console.log(`\n(Redis at ${REDIS_URL} unreachable: the Redis row is skipped)`);
  }
  const sink = await startSpanSink();
  try {
    rows.push(
      await measure(
        'tracing on (OTLP/HTTP to a local sink)',
        {
          OTEL_EXPORTER_OTLP_ENDPOINT: sink.url,
        },
        false,
      ),
    );
  } finally {
    await sink.close();
  }
  printTable(
    `Operations cost: local-placeholder 64x64 url, SQLite, 32 connections (${os.cpus().length} CPUs); ratios against the baseline`,
    rows,
    () => baseline,
    'baseline',
  );
  console.log(
    `\nRecording one request's metrics (HTTP, provider attempt, usage): ${metricsCostPerRequest().toFixed(2)} µs`,
  );
}
