import type { Config } from '../../config.js';
import type { Db } from '../../db/connection.js';
import type { Log } from '../../observability/logger.js';
import { PgBossQueue } from './pg-boss-queue.js';
import { SqliteQueue } from './sqlite-queue.js';
import type { TaskQueue } from './types.js';

/** The embedded queue on SQLite, pg-boss on PostgreSQL. */
export async function createQueue(config: Config, db: Db, log: Log): Promise<TaskQueue> {
  return config.database.kind === 'postgres'
    ? PgBossQueue.open(db, config.database.url, log)
    : new SqliteQueue(db, log);
}
