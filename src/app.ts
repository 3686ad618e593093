import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import {
  clientErrorHandler,
  frameworkErrorHandler,
  registerErrorHandler,
} from './http/error-handler.js';
import { registerJsonParser } from './http/json-body.js';
import { registerOpenApi } from './http/openapi/register.js';
import { MULTIPART_LIMITS } from './http/multipart.js';
import { registerCommonHeaders, registerGracefulClose } from './http/plugins.js';
import { requestIdFor } from './http/request-id.js';
import { registerRoutes, type RouteDeps } from './http/routes/index.js';
import { registerCompletionLog } from './observability/completion-log.js';
import { registerRequestTracing } from './observability/request-tracing.js';
import { registerHttpMetrics } from './observability/http-metrics.js';
import { registerTextFieldCheck } from './http/text-fields.js';
import type { Services } from './services.js';

/** What the HTTP app uses of the services: the routes' needs and the app-wide plugins'. */
export type AppDeps = RouteDeps & Pick<Services, 'config' | 'log' | 'metrics' | 'tracing'>;

/** The Fastify instance with every route, ready to `listen()` or `inject()`. */
export function buildApp(services: AppDeps): FastifyInstance {
  const { requestTimeoutMs, syncTimeoutMs } = services.config;
  const app = Fastify({
    // pino's Logger is a FastifyBaseLogger; the cast keeps Fastify's default generic types.
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- it drives inference
    loggerInstance: services.log as FastifyBaseLogger,
    genReqId: requestIdFor,
    // One completion line per request instead (observability/completion-log.ts).
    logController: new LogController({ disableRequestLogging: true }),
    frameworkErrors: frameworkErrorHandler,
    clientErrorHandler,
    bodyLimit: 1024 * 1024,
    // Let in-flight requests finish on shutdown, but stop keeping idle sockets open.
    forceCloseConnections: 'idle',
    // A request must arrive whole within PIXAPI_REQUEST_TIMEOUT_S (default 15 min: a 100 MB
    // upload at about 1 Mbit/s), however slowly it trickles in.
    requestTimeout: requestTimeoutMs,
    // A socket may stay silent while its request waits for inputs and a provider (each up to
    // the sync timeout), never longer.
    connectionTimeout: requestTimeoutMs + 2 * syncTimeoutMs,
    http: {
      // Node applies a request timeout only when given to its constructor; Fastify sets it later.
      requestTimeout: requestTimeoutMs,
      // Node checks request deadlines on this period (30 s by default, coarse for short ones).
      connectionsCheckingInterval: Math.min(30_000, Math.max(250, requestTimeoutMs / 4)),
    },
  });
  // First, so that every other hook of a request runs inside its trace.
  if (services.tracing) registerRequestTracing(app);
  registerErrorHandler(app);
  registerCommonHeaders(app);
  registerGracefulClose(app);
  registerHttpMetrics(app, services.metrics);
  registerCompletionLog(app, { logPrompts: services.config.logPrompts });
  registerTextFieldCheck(app);
  registerJsonParser(app);
  void app.register(cookie);
  void app.register(multipart, { limits: MULTIPART_LIMITS, throwFileSizeLimit: true });
  registerOpenApi(app);
  // In a plugin, so that the OpenAPI plugins registered above see every route.
  void app.register(async (api) => registerRoutes(api, services));
  return app;
}
