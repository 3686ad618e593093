import fs from 'node:fs';
import { loadConfig, type Config } from '../config.js';
import { openDatabase } from '../db/connection.js';
import { migrateToLatest } from '../db/migrate.js';
import { createLogger } from '../observability/logger.js';
import { createServices, type Services } from '../services.js';
import type { Output } from './output.js';

/** The database a command opens, without the password of a URL. */
export function describeDatabase(config: Config): string {
  if (config.database.kind === 'sqlite') {
    return `SQLite database ${config.database.file} (PIXAPI_DATA_DIR=${config.dataDir})`;
  }
  const url = new URL(config.database.url);
  if (url.password) url.password = '***';
  return `PostgreSQL database ${url.toString()} (DATABASE_URL)`;
}

/**
 * Says on stderr which database a command uses, so that an operator who runs it from the wrong
 * directory sees it at once. Returns whether the database looks new (SQLite: no file yet).
 */
export function announceDatabase(config: Config, out: Output): boolean {
  const isNew = config.database.kind === 'sqlite' && !fs.existsSync(config.database.file);
  out.note(`using ${describeDatabase(config)}`);
  if (isNew) out.note('warning: no database there yet, creating a new one');
  return isNew;
}

/** Announces the database and applies pending migrations; returns the names applied. */
export async function migrate(config: Config, out: Output): Promise<string[]> {
  const announcedNew = announceDatabase(config, out);
  const db = openDatabase(config.database);
  try {
    const applied = await migrateToLatest(db);
    // PostgreSQL databases exist before us: new means that it had none of our tables.
    if (!announcedNew && applied.includes('001-initial')) {
      out.note('warning: the database had no Pixapi tables, created them');
    }
    return applied;
  } finally {
    await db.close();
  }
}

/**
 * Services for a one-shot command: logs go to stderr (stdout is for the result), and pending
 * migrations are applied so that commands work on a fresh data directory.
 */
export async function withServices<T>(
  out: Output,
  fn: (services: Services) => Promise<T>,
): Promise<T> {
  const config = loadConfig();
  const log = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel, process.stderr);
  await migrate(config, out);
  const services = await createServices(config, {
    log,
    publicUrl: () => config.publicUrl ?? `http://localhost:${config.port}`,
  });
  try {
    return await fn(services);
  } finally {
    await services.close();
  }
}
