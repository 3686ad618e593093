import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino, type Logger } from 'pino';
import { loadConfig } from '../../src/config.js';
import { generateApiKey } from '../../src/security/api-keys.js';
import { startServer, type RunningServer, type StartOptions } from '../../src/server.js';
import { createTestSchema } from './postgres.js';

export type Dialect = 'sqlite' | 'postgres';

export interface TestServer extends RunningServer {
  adminKey: string;
  dataDir: string;
  /** Creates an account with `credits` and returns its id and key. */
  account(credits: number, name?: string): Promise<{ accountId: string; apiKey: string }>;
}

let counter = 0;

/**
 * The real server on a random loopback port with a temporary data directory (and, for
 * PostgreSQL, a private schema), configured only through environment variables as an operator
 * would configure it.
 */
export async function startTestServer(
  options: {
    dialect?: Dialect;
    env?: Record<string, string>;
    /** Receives the server's logs (silent by default). */
    log?: Logger;
  } & Pick<StartOptions, 'outbound' | 'webhookRetryDelaysMs' | 'workers' | 'clock'> = {},
): Promise<TestServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pixapi-test-'));
  const schema = options.dialect === 'postgres' ? await createTestSchema() : undefined;
  const adminKey = generateApiKey().plaintext;
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    PIXAPI_DATA_DIR: dataDir,
    PIXAPI_LOG_LEVEL: 'silent',
    PIXAPI_ADMIN_KEY: adminKey,
    ...(schema ? { DATABASE_URL: schema.url } : {}),
    ...options.env,
  });
  const server = await startServer(config, {
    log: options.log ?? pino({ level: 'silent' }),
    outbound: options.outbound,
    webhookRetryDelaysMs: options.webhookRetryDelaysMs,
    workers: options.workers,
    clock: options.clock,
  });
  return {
    ...server,
    adminKey,
    dataDir,
    account: async (credits, name) => {
      const created = await server.services.accounts.create({
        name: name ?? `test-${process.pid}-${++counter}`,
        credits: credits > 0 ? credits * 1000 : undefined,
      });
      return { accountId: created.accountId, apiKey: created.apiKey };
    },
    close: async () => {
      await server.close();
      await schema?.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface ApiResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

/** A JSON call to the API under test. */
export async function api<T = Record<string, unknown>>(
  base: string,
  method: string,
  path: string,
  options: { key?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.key) headers.authorization = `Bearer ${options.key}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${base}${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: (text ? JSON.parse(text) : {}) as T,
  };
}
