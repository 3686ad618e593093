import type { Config } from '../../config.js';
import type { Db } from '../../db/connection.js';
import type { Log } from '../../observability/logger.js';
import { SqliteQueue } from './sqlite-queue.js';
import type { TaskQueue } from './types.js';

/** The embedded queue on SQLite, pg-boss on PostgreSQL (loaded only then, like its driver). */
export async function createQueue(config: Config, db: Db, log: Log): Promise<TaskQueue> {
  return config.database.kind === 'postgres'
    ? (await import('./pg-boss-queue.js')).PgBossQueue.open(db, config.database.url, log)
    : new SqliteQueue(db, log);
}
