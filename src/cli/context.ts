import { loadConfig } from '../config.js';
import { createLogger } from '../observability/logger.js';
import { createServices, type Services } from '../services.js';

/**
 * Services for a one-shot command: logs go to stderr (stdout is for the result), and pending
 * migrations are applied so that commands work on a fresh data directory.
 */
export async function withServices<T>(fn: (services: Services) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const log = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel, process.stderr);
  const services = await createServices(config, {
    log,
    publicUrl: () => config.publicUrl ?? `http://localhost:${config.port}`,
    migrate: true,
  });
  try {
    return await fn(services);
  } finally {
    await services.close();
  }
}
