import { loadConfig } from './config.js';
import { createLogger } from './observability/logger.js';
import { startServer } from './server.js';

/**
 * `pixapi serve` / `npm start`: run the API until SIGTERM or SIGINT, then shut down gracefully
 * (in-flight requests finish).
 */
export async function serve(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  const server = await startServer(config, {
    log,
    onAdminKey: (key) => {
      if (config.adminKey) {
        process.stdout.write('Admin account created with the key from PIXAPI_ADMIN_KEY.\n');
      } else {
        process.stdout.write(`Admin API key: ${key}\n`);
      }
    },
  });
  log.info({ url: server.url, database: config.database.kind }, 'pixapi listening');
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    try {
      await server.close();
      process.exit(0);
    } catch (error) {
      log.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}
