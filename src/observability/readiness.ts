import { sql } from 'kysely';
import type { Db } from '../db/connection.js';
import type { Counters } from '../limits/counters.js';
import { TaskStore } from '../tasks/task-store.js';

export interface ReadinessSources {
  db: Db;
  checkStorage: () => Promise<void>;
  counters: Counters;
  redisConfigured: boolean;
  breakers: () => Array<{ route: string; state: 'closed' | 'half_open' | 'open' }>;
}

export interface Readiness {
  /** False only for what stops this process from serving: the database or the asset store. */
  ready: boolean;
  checks: {
    database: 'ok' | 'failing';
    storage: 'ok' | 'failing';
    /** `degraded`: unreachable, limits count per process meanwhile (still serving). */
    redis: 'ok' | 'degraded' | 'not_configured';
    queue: { status: 'ok' | 'failing'; submitted?: number; processing?: number };
    breakers: Record<string, 'closed' | 'half_open' | 'open'>;
  };
}

async function ok(check: () => Promise<unknown>): Promise<boolean> {
  try {
    await check();
    return true;
  } catch {
    return false;
  }
}

/** What /readyz reports: each dependency's state, and whether the process can serve. */
export async function readiness(sources: ReadinessSources): Promise<Readiness> {
  const [database, storage] = await Promise.all([
    ok(() => sql`select 1`.execute(sources.db.kysely)),
    ok(sources.checkStorage),
  ]);
  let queue: Readiness['checks']['queue'] = { status: 'failing' };
  if (database) {
    try {
      const open = await new TaskStore(sources.db.kysely).countOpenByStatus();
      queue = { status: 'ok', ...open };
    } catch {
      queue = { status: 'failing' };
    }
  }
  const counters = sources.counters.state();
  return {
    ready: database && storage,
    checks: {
      database: database ? 'ok' : 'failing',
      storage: storage ? 'ok' : 'failing',
      redis: !sources.redisConfigured ? 'not_configured' : counters === 'ok' ? 'ok' : 'degraded',
      queue,
      breakers: Object.fromEntries(sources.breakers().map((b) => [b.route, b.state])),
    },
  };
}
