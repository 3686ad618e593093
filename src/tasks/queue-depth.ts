import type { Db } from '../db/connection.js';
import { TaskStore } from './task-store.js';

/** Tasks waiting to run and running now, for readiness: the HTTP layer holds no query builder. */
export function queueDepth(db: Db): Promise<{ submitted: number; processing: number }> {
  return new TaskStore(db.kysely).countOpenByStatus();
}
