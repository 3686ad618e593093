import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { buildApp } from './app.js';
import { MILLI_PER_CREDIT } from './credits.js';
import type { Config } from './config.js';
import { startShutdownWarnings } from './maintenance/shutdown-warnings.js';
import { startSweeper } from './maintenance/sweeper.js';
import { createServices, type ServiceOptions, type Services } from './services.js';
import { startWorkers } from './tasks/workers.js';

/** Millicredits the admin account starts with (1000 credits), so the README works at once. */
export const ADMIN_STARTING_CREDITS = 1000 * MILLI_PER_CREDIT;

export interface RunningServer {
  url: string;
  app: FastifyInstance;
  services: Services;
  close(): Promise<void>;
}

export interface StartOptions {
  log: Logger;
  /** Receives the admin key when this start created the admin account. */
  onAdminKey?: (key: string) => void;
  outbound?: ServiceOptions['outbound'];
  webhookRetryDelaysMs?: ServiceOptions['webhookRetryDelaysMs'];
  clock?: ServiceOptions['clock'];
  /** Run the task workers in this process too (default true; `pixapi serve --no-worker`). */
  workers?: boolean;
}

/**
 * Starts the API: migrations, the admin account on an empty database, the HTTP listener and
 * housekeeping. `close()` stops accepting connections, lets in-flight requests finish, then
 * releases the database.
 */
export async function startServer(config: Config, options: StartOptions): Promise<RunningServer> {
  let baseUrl = config.publicUrl ?? `http://localhost:${config.port}`;
  const services = await createServices(config, {
    log: options.log,
    publicUrl: () => baseUrl,
    migrate: true,
    backgroundCheckpoints: true,
    outbound: options.outbound,
    webhookRetryDelaysMs: options.webhookRetryDelaysMs,
    clock: options.clock,
  });
  let app: FastifyInstance | undefined;
  try {
    const adminKey = await services.accounts.bootstrapAdmin({
      apiKey: config.adminKey,
      credits: ADMIN_STARTING_CREDITS,
    });
    if (adminKey) options.onAdminKey?.(adminKey);
    app = buildApp(services);
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    await app?.close();
    await services.close();
    throw error;
  }
  const { port } = app.server.address() as AddressInfo;
  if (!config.publicUrl) {
    baseUrl = `http://localhost:${port}`;
    const fetching = services.providers.fetchingByUrl();
    if (fetching.length > 0) {
      options.log.warn(
        { providers: fetching },
        'these providers download edit inputs from Pixapi: set PIXAPI_PUBLIC_URL to an address they can reach',
      );
    }
  }
  const sweeper = startSweeper(services);
  const shutdownWarnings = startShutdownWarnings(services.catalog, options.log);
  const workers = options.workers === false ? undefined : await startWorkers(services);
  const listening = app;
  return {
    url: `http://127.0.0.1:${port}`,
    app: listening,
    services,
    close: async () => {
      await listening.close();
      shutdownWarnings.stop();
      await workers?.stop();
      await sweeper.stop();
      await services.close();
    },
  };
}
