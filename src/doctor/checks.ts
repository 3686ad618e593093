import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { buffer } from 'node:stream/consumers';
import { sql } from 'kysely';
import { Redis } from 'ioredis';
import { loadConfig, type Config } from '../config.js';
import { openDatabase } from '../db/connection.js';
import { pendingMigrations } from '../db/migrate.js';
import { ProviderRegistry } from '../providers/registry.js';
import { createBlobStore } from '../storage/factory.js';

/** One finding of `pixapi doctor`: what was checked, whether it is fine, and why in words. */
export interface Check {
  name: string;
  status: 'ok' | 'problem' | 'skipped';
  detail: string;
}

const TIMEOUT_MS = 10_000;

function message(error: unknown): string {
  const e = error as { message?: string; code?: string; name?: string; cause?: unknown };
  // Wrapped errors (storage_unavailable) say little themselves: their cause says what failed.
  if (e?.cause && (e as { code?: string }).code === 'storage_unavailable') return message(e.cause);
  const text = e?.message || e?.code || e?.name || String(error);
  return text.split('\n')[0]!;
}

async function withTimeout<T>(what: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer in 10 s`)), TIMEOUT_MS);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function checkDatabase(config: Config): Promise<Check[]> {
  const label = config.database.kind === 'sqlite' ? 'database (SQLite)' : 'database (PostgreSQL)';
  // Opening a missing SQLite file would create it: say so instead of leaving an empty one.
  if (config.database.kind === 'sqlite' && !fs.existsSync(config.database.file)) {
    return [
      {
        name: label,
        status: 'problem',
        detail: `no database at ${config.database.file}: check PIXAPI_DATA_DIR, or run pixapi migrate to create one`,
      },
      { name: 'migrations', status: 'skipped', detail: 'no database' },
    ];
  }
  const db = openDatabase(config.database);
  try {
    await withTimeout('the database', sql`select 1`.execute(db.kysely));
  } catch (error) {
    await db.close().catch(() => undefined);
    return [
      { name: label, status: 'problem', detail: `cannot connect: ${message(error)}` },
      { name: 'migrations', status: 'skipped', detail: 'the database is unreachable' },
    ];
  }
  try {
    const pending = await withTimeout('the database', pendingMigrations(db));
    return [
      { name: label, status: 'ok', detail: 'connected' },
      pending.length === 0
        ? { name: 'migrations', status: 'ok', detail: 'up to date' }
        : {
            name: 'migrations',
            status: 'problem',
            detail: `${pending.length} pending (${pending.join(', ')}): run pixapi migrate`,
          },
    ];
  } catch (error) {
    return [
      { name: label, status: 'ok', detail: 'connected' },
      { name: 'migrations', status: 'problem', detail: `cannot read: ${message(error)}` },
    ];
  } finally {
    await db.close().catch(() => undefined);
  }
}

async function checkRedis(config: Config): Promise<Check> {
  if (!config.redisUrl) {
    return { name: 'redis', status: 'skipped', detail: 'REDIS_URL unset: limits are per process' };
  }
  const client = new Redis(config.redisUrl, {
    lazyConnect: true,
    connectTimeout: 3_000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  // The socket's own error (ECONNREFUSED...) says more than the rejected connect.
  let cause: unknown;
  client.on('error', (error) => (cause ??= error));
  try {
    await withTimeout(
      'Redis',
      client.connect().then(() => client.ping()),
    );
    return { name: 'redis', status: 'ok', detail: 'PING answered' };
  } catch (error) {
    const detail = `cannot reach REDIS_URL: ${message(cause ?? error)}`;
    return { name: 'redis', status: 'problem', detail };
  } finally {
    client.disconnect();
  }
}

/** Writes, reads back and deletes a small object: what every generation does to the store. */
async function checkStorage(config: Config): Promise<Check> {
  const name = `storage (${config.storage.kind})`;
  const store = await createBlobStore(config.storage);
  const key = `doctor_${randomBytes(8).toString('hex')}.txt`;
  const bytes = randomBytes(32);
  let step = 'write';
  try {
    await withTimeout('the asset store', store.put(key, bytes, 'text/plain'));
    step = 'read';
    const body = await withTimeout('the asset store', store.get(key));
    if (!body || !(await buffer(body)).equals(bytes)) throw new Error('read other bytes back');
    step = 'delete';
    await withTimeout('the asset store', store.delete(key));
    return { name, status: 'ok', detail: 'wrote, read back and deleted a test object' };
  } catch (error) {
    return { name, status: 'problem', detail: `cannot ${step}: ${message(error)}` };
  }
}

/**
 * Each configured provider's model list, a free request: proves the key and the network
 * without generating anything. Providers without a list are named as not checkable.
 */
async function checkProviders(config: Config): Promise<Check[]> {
  const registry = new ProviderRegistry(config);
  const checks: Check[] = [];
  for (const providerName of registry.names()) {
    const adapter = registry.get(providerName);
    if (!adapter || providerName === 'local') continue;
    const name = `provider ${providerName}`;
    if (!adapter.listModels) {
      checks.push({ name, status: 'skipped', detail: 'configured; no free request to check it' });
      continue;
    }
    try {
      const models = await withTimeout(
        providerName,
        adapter.listModels(AbortSignal.timeout(TIMEOUT_MS)),
      );
      checks.push({ name, status: 'ok', detail: `reachable, lists ${models.length} models` });
    } catch (error) {
      checks.push({ name, status: 'problem', detail: `unreachable: ${message(error)}` });
    }
  }
  if (checks.length === 0) {
    checks.push({
      name: 'providers',
      status: 'skipped',
      detail: 'none configured beyond the local model',
    });
  }
  return checks;
}

/** Every check, in the order an operator fixes things: configuration first. */
export async function runChecks(env: NodeJS.ProcessEnv = process.env): Promise<Check[]> {
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (error) {
    return [{ name: 'configuration', status: 'problem', detail: message(error) }];
  }
  const configuration: Check = { name: 'configuration', status: 'ok', detail: 'valid' };
  const [database, redis, storage, providers] = await Promise.all([
    checkDatabase(config),
    checkRedis(config),
    checkStorage(config),
    checkProviders(config),
  ]);
  return [configuration, ...database, redis, storage, ...providers];
}
