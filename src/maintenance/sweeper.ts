import type { Services } from '../services.js';
import { failStaleTasks } from '../tasks/run-task.js';
import type { OutcomeDeps } from '../tasks/task-outcomes.js';

export interface Sweeper {
  stop(): Promise<void>;
}

/** What startSweeper uses of the services. */
export type SweeperDeps = Pick<Services, 'assets' | 'idempotency' | 'ledger' | 'log' | 'people'> &
  OutcomeDeps;

/**
 * Periodic housekeeping: deletes assets past `PIXAPI_ASSET_TTL_HOURS` and idempotency keys past
 * 24 h, ended dashboard sessions and expired sign-in tokens, fails tasks that could not run
 * for a day, and settles holds that a crashed request left open. Each step is idempotent, so several processes may run it at once.
 */
export function startSweeper(services: SweeperDeps, intervalMs = 5 * 60_000): Sweeper {
  let running: Promise<void> | undefined;
  const sweep = async () => {
    try {
      const assets = await services.assets.deleteExpired();
      const holds = await services.ledger.expireHolds();
      const keys = await services.idempotency.deleteExpired(Date.now());
      const tasks = await failStaleTasks(services);
      const sessions = await services.people.sessions.deleteExpired(Date.now());
      if (assets || holds || keys || tasks || sessions) {
        services.log.info({ assets, holds, keys, tasks, sessions }, 'swept expired rows');
      }
    } catch (error) {
      services.log.error({ err: error }, 'sweep failed');
    }
  };
  const tick = () => {
    running ??= sweep().finally(() => (running = undefined));
  };
  tick();
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
