import type { FastifyInstance, onRequestAsyncHookHandler } from 'fastify';
import { requireKey, type KeyDeps } from './auth.js';

/** Runs in `onRequest`: a bad key is refused before the body is read or parsed. */
export type KeyGuard = onRequestAsyncHookHandler;

/** Headers every response carries: the request id, and no MIME sniffing of anything we serve. */
export function registerCommonHeaders(app: FastifyInstance): void {
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
    reply.header('x-content-type-options', 'nosniff');
  });
}

/**
 * Graceful shutdown: once close() starts, responses of in-flight requests tell the client to
 * close the connection, so that keep-alive clients do not hold the process open until their
 * idle timeout.
 */
export function registerGracefulClose(app: FastifyInstance): void {
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (_request, reply) => {
    if (closing) reply.header('connection', 'close');
  });
}

export function keyGuard(services: KeyDeps): KeyGuard {
  const check = requireKey(services);
  return (request) => request.phases.time('auth', () => check(request));
}
