import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { generateApiKey } from '../../src/security/api-keys.js';
import { BIN, runCli } from '../helpers/cli.js';
import { TEST_DATABASE_URL } from '../helpers/postgres.js';

/**
 * A Pixapi cluster as an operator runs one: real `bin/pixapi` processes (API servers without
 * a worker, and workers) on a PostgreSQL database, a Redis and an S3 bucket of their own, so
 * that stopping any of them hurts nothing else on the machine.
 */

export const BUCKET = 'pixapi-cluster';

/** The application name of the test's own connections, which terminateBackends spares. */
const TEST_APP = 'pixapi-cluster-test';

/** Every wait in the harness ends: a scenario that hangs fails with what it waited for. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 15_000,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(
    `timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`,
  );
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface Proc {
  name: string;
  child: ChildProcess;
  /** Everything the process wrote so far, stdout and stderr. */
  output(): string;
  exited: Promise<number | null>;
}

const children = new Set<ChildProcess>();

/** Starts a process and resolves once its output matches `ready`. */
export function startProc(
  name: string,
  command: string,
  args: string[],
  env: Record<string, string>,
  ready: RegExp,
  // Generous: the machine may be shared, and a process that never starts still ends the wait.
  timeoutMs = 45_000,
): Promise<Proc & { match: RegExpExecArray }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.add(child);
    let out = '';
    const exited = new Promise<number | null>((r) =>
      child.on('exit', (code, signal) => {
        children.delete(child);
        r(code ?? (signal ? -1 : null));
      }),
    );
    const timer = setTimeout(() => reject(new Error(`${name} did not start: ${out}`)), timeoutMs);
    let started = false;
    const onData = (d: Buffer) => {
      out += d.toString();
      const match = ready.exec(out);
      if (match && !started) {
        started = true;
        clearTimeout(timer);
        resolve({ name, child, output: () => out, exited, match });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      if (!started) reject(new Error(`${name} exited with ${code}: ${out}`));
    });
  });
}

/** Stops a process (SIGTERM, then SIGKILL after `graceMs`) and waits for its exit. */
export async function stopProc(proc: Proc | undefined, graceMs = 5_000): Promise<void> {
  if (!proc || proc.child.exitCode !== null || proc.child.signalCode !== null) return;
  proc.child.kill('SIGTERM');
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), graceMs);
  await proc.exited;
  clearTimeout(timer);
}

/** The last resort of afterAll: nothing the harness started outlives it. */
export function killAll(): void {
  for (const child of children) child.kill('SIGKILL');
}

export interface Database {
  name: string;
  url: string;
  /** A query on the cluster's database, on a connection of the test's own. */
  query<R extends pg.QueryResultRow = Record<string, unknown>>(
    text: string,
    values?: unknown[],
  ): Promise<R[]>;
  /** A connection of the test's own (spared by terminateBackends), for holding locks. */
  connect(): Promise<pg.Client>;
  /** Terminates every backend of the cluster's database except the test's own. */
  terminateBackends(): Promise<number>;
  drop(): Promise<void>;
}

function serverUrl(database?: string): string {
  const url = new URL(TEST_DATABASE_URL);
  if (database) url.pathname = `/${database}`;
  return url.toString();
}

export async function createDatabase(): Promise<Database> {
  const name = `pixapi_cluster_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl() });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = serverUrl(name);
  const pool = new pg.Pool({
    connectionString: url,
    max: 2,
    application_name: TEST_APP,
  });
  // The test's own connections are spared by terminateBackends, but be safe.
  pool.on('error', () => {});
  return {
    name,
    url,
    query: async (text, values) => (await pool.query(text, values)).rows,
    connect: async () => {
      const client = new pg.Client({ connectionString: url, application_name: TEST_APP });
      await client.connect();
      return client;
    },
    terminateBackends: async () => {
      const client = new pg.Client({ connectionString: serverUrl() });
      await client.connect();
      try {
        const rows = await client.query(
          `select pg_terminate_backend(pid) as ok from pg_stat_activity
           where datname = $1 and pid <> pg_backend_pid()
             and application_name <> $2`,
          [name, TEST_APP],
        );
        return rows.rowCount ?? 0;
      } finally {
        await client.end();
      }
    },
    drop: async () => {
      await pool.end().catch(() => undefined);
      const client = new pg.Client({ connectionString: serverUrl() });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

/** A Redis of the harness's own, stopped and restarted on the same port by the tests. */
export class OwnRedis {
  private proc: Proc | undefined;
  private constructor(readonly port: number) {}

  static async start(): Promise<OwnRedis> {
    const redis = new OwnRedis(await freePort());
    await redis.restart();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async restart(): Promise<void> {
    this.proc = await startProc(
      'redis',
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      {},
      /Ready to accept connections/,
    );
  }

  async stop(): Promise<void> {
    await stopProc(this.proc);
    this.proc = undefined;
  }
}

interface S3rverInstance {
  run(): Promise<{ address: string; port: number }>;
  close(): Promise<void>;
}
type S3rverClass = new (options: Record<string, unknown>) => S3rverInstance;
// A variable specifier: s3rver ships no types.
const S3RVER = 's3rver';

/** s3rver in the test process, on a port that survives a stop and start. */
export class OwnBucket {
  private server: S3rverInstance | undefined;
  private constructor(
    readonly port: number,
    readonly directory: string,
  ) {}

  static async start(): Promise<OwnBucket> {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'pixapi-cluster-s3-'));
    const bucket = new OwnBucket(await freePort(), directory);
    await bucket.restart();
    return bucket;
  }

  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async restart(): Promise<void> {
    const S3rver = ((await import(S3RVER)) as { default: S3rverClass }).default;
    this.server = new S3rver({
      address: '127.0.0.1',
      port: this.port,
      silent: true,
      directory: this.directory,
      configureBuckets: [{ name: BUCKET }],
    });
    await this.server.run();
  }

  async stop(): Promise<void> {
    await this.server?.close();
    this.server = undefined;
  }

  async remove(): Promise<void> {
    await this.stop();
    fs.rmSync(this.directory, { recursive: true, force: true });
  }
}

export interface ClusterOptions {
  database: Database;
  redis: OwnRedis;
  bucket: OwnBucket;
  dataDir: string;
  /** How long the local model takes per image, on every process. */
  localDelayMs: number;
}

/** The environment every cluster process shares, as an operator's `.env` would hold it. */
export function clusterEnv(options: ClusterOptions, adminKey: string): Record<string, string> {
  return {
    DATABASE_URL: options.database.url,
    REDIS_URL: options.redis.url,
    PIXAPI_STORAGE: 's3',
    S3_BUCKET: BUCKET,
    S3_ENDPOINT: options.bucket.endpoint,
    S3_REGION: 'us-east-1',
    S3_ACCESS_KEY_ID: 'S3RVER',
    S3_SECRET_ACCESS_KEY: 'S3RVER',
    S3_FORCE_PATH_STYLE: 'true',
    PIXAPI_DATA_DIR: options.dataDir,
    PIXAPI_ADMIN_KEY: adminKey,
    PIXAPI_LOG_LEVEL: 'info',
    PIXAPI_LOCAL_DELAY_MS: String(options.localDelayMs),
    // A killed worker's job moves on when its lease (this deadline + 15 s) ends.
    PIXAPI_SYNC_TIMEOUT_S: '3',
    HOST: '127.0.0.1',
  };
}

export class Cluster {
  readonly adminKey = generateApiKey().plaintext;
  readonly apis: Array<Proc & { url: string }> = [];
  readonly workers: Proc[] = [];
  readonly env: Record<string, string>;

  constructor(readonly options: ClusterOptions) {
    this.env = clusterEnv(options, this.adminKey);
  }

  async startApi(): Promise<Proc & { url: string }> {
    const proc = await startProc(
      `api-${this.apis.length + 1}`,
      process.execPath,
      [BIN, 'serve', '--no-worker'],
      { ...this.env, PORT: '0' },
      /"url":"(http:\/\/[^"]+)"/,
    );
    const api = { ...proc, url: proc.match[1]! };
    this.apis.push(api);
    return api;
  }

  async startWorker(): Promise<Proc> {
    const proc = await startProc(
      `worker-${this.workers.length + 1}`,
      process.execPath,
      [BIN, 'worker'],
      this.env,
      /pixapi worker running/,
    );
    this.workers.push(proc);
    return proc;
  }

  /** `pixapi <args> --json` against the cluster's database; throws on a nonzero exit. */
  async cli<T = Record<string, unknown>>(args: string[]): Promise<T> {
    const result = await runCli([...args, '--json'], this.env);
    if (result.code !== 0) {
      throw new Error(`pixapi ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
    }
    return JSON.parse(result.stdout) as T;
  }

  async account(credits: number): Promise<{ account_id: string; key_id: string; api_key: string }> {
    return this.cli([
      'accounts',
      'create',
      '--name',
      `c-${randomBytes(4).toString('hex')}`,
      '--credits',
      String(credits),
    ]);
  }

  /** Every process's output, for a failing test's message. */
  output(): string {
    return [...this.apis, ...this.workers]
      .map((p) => `----- ${p.name}\n${p.output().slice(-4000)}`)
      .join('\n');
  }

  async stop(): Promise<void> {
    await Promise.all([...this.apis, ...this.workers].map((p) => stopProc(p)));
  }
}

/** Why the cluster cannot run here, or undefined when it can. */
export async function unavailableReason(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: serverUrl(), connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
  } catch (error) {
    return `PostgreSQL at ${TEST_DATABASE_URL} is unreachable (${(error as Error).message})`;
  } finally {
    await client.end().catch(() => undefined);
  }
  const redis = await new Promise<string | undefined>((resolve) => {
    const child = spawn('redis-server', ['--version'], { stdio: 'ignore' });
    child.on('error', (error) => resolve(`redis-server cannot run (${error.message})`));
    child.on('exit', (code) => resolve(code === 0 ? undefined : `redis-server exited ${code}`));
  });
  if (redis) return redis;
  try {
    await import(S3RVER);
  } catch (error) {
    return `s3rver cannot be loaded (${(error as Error).message})`;
  }
  if (!fs.existsSync(path.join(path.dirname(BIN), '..', 'dist'))) {
    return 'dist/ is missing: run npm run build first';
  }
  return undefined;
}
