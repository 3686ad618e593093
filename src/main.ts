import { loadConfig } from './config.js';
import { startSweeper } from './maintenance/sweeper.js';
import { limitHeapGrowth } from './observability/heap-growth.js';
import { createLogger, type Log } from './observability/logger.js';
import { createServices } from './services.js';
import { startServer } from './server.js';
import { startWorkers, type Workers } from './tasks/workers.js';

/**
 * `pixapi serve` / `npm start`: run the API until SIGTERM or SIGINT, then shut down gracefully
 * (in-flight requests finish).
 */
export async function serve(options: { workers?: boolean } = {}): Promise<void> {
  limitHeapGrowth();
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  const server = await startServer(config, {
    log,
    workers: options.workers,
    onAdminKey: (key) => {
      if (config.adminKey) {
        process.stderr.write('Admin account created with the key from PIXAPI_ADMIN_KEY.\n');
      } else {
        // stderr: stdout carries only JSON log lines, which collectors may ship elsewhere.
        process.stderr.write(`Admin API key: ${key}\n`);
      }
    },
  });
  log.info({ url: server.url, database: config.database.kind }, 'pixapi listening');
  process.stderr.write(`Pixapi is running: open ${server.services.publicUrl()}/ in a browser.\n`);
  stopOnSignals(log, () => server.close());
}

/** `pixapi worker`: only the task and webhook workers, for scale-out deployments. */
export async function work(): Promise<void> {
  limitHeapGrowth();
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  const services = await createServices(config, {
    log,
    publicUrl: () => config.publicUrl ?? `http://localhost:${config.port}`,
    migrate: true,
    backgroundCheckpoints: true,
  });
  const sweeper = startSweeper(services);
  let workers: Workers;
  try {
    workers = await startWorkers(services);
  } catch (error) {
    // Open connections would keep a worker that cannot work alive, and its orchestrator unaware.
    await sweeper.stop();
    await services.close().catch(() => undefined);
    throw error;
  }
  log.info({ database: config.database.kind }, 'pixapi worker running');
  stopOnSignals(log, async () => {
    await workers.stop();
    await sweeper.stop();
    await services.close();
  });
}

/** SIGTERM/SIGINT: finish or hand back the work in progress, then exit. */
function stopOnSignals(log: Log, close: () => Promise<void>): void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    try {
      await close();
      process.exit(0);
    } catch (error) {
      log.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}
