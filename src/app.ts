import multipart from '@fastify/multipart';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { registerErrorHandler } from './http/error-handler.js';
import { registerOpenApi } from './http/openapi/register.js';
import { MULTIPART_LIMITS } from './http/multipart.js';
import { registerCommonHeaders, registerGracefulClose } from './http/plugins.js';
import { requestIdFor } from './http/request-id.js';
import { registerRoutes } from './http/routes/index.js';
import { registerTextFieldCheck } from './http/text-fields.js';
import type { Services } from './services.js';

/** The Fastify instance with every route, ready to `listen()` or `inject()`. */
export function buildApp(services: Services): FastifyInstance {
  const app = Fastify({
    // pino's Logger is a FastifyBaseLogger; the cast keeps Fastify's default generic types.
    loggerInstance: services.log as FastifyBaseLogger,
    genReqId: requestIdFor,
    bodyLimit: 1024 * 1024,
    // Let in-flight requests finish on shutdown, but stop keeping idle sockets open.
    forceCloseConnections: 'idle',
  });
  registerErrorHandler(app);
  registerCommonHeaders(app);
  registerGracefulClose(app);
  registerTextFieldCheck(app);
  void app.register(multipart, { limits: MULTIPART_LIMITS, throwFileSizeLimit: true });
  registerOpenApi(app);
  // In a plugin, so that the OpenAPI plugins registered above see every route.
  void app.register(async (api) => registerRoutes(api, services));
  return app;
}
