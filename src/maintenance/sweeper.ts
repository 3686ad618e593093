import type { Services } from '../services.js';

export interface Sweeper {
  stop(): Promise<void>;
}

/**
 * Periodic housekeeping: deletes assets past `PIXAPI_ASSET_TTL_HOURS` and idempotency keys past
 * 24 h, and settles holds that a crashed request left open. Both are idempotent, so several processes may run it at once.
 */
export function startSweeper(services: Services, intervalMs = 5 * 60_000): Sweeper {
  let running: Promise<void> | undefined;
  const sweep = async () => {
    try {
      const assets = await services.assets.deleteExpired();
      const holds = await services.ledger.expireHolds();
      const keys = await services.idempotency.deleteExpired(Date.now());
      if (assets || holds || keys) services.log.info({ assets, holds, keys }, 'swept expired rows');
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
