import type { Span } from '@opentelemetry/api';
import { SpanStatusCode, type Context } from '@opentelemetry/api';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { startRequestSpan, withContext } from './tracing.js';

const traced = new WeakMap<FastifyRequest, { span: Span; context: Context }>();

/**
 * One trace per HTTP request: a server span from `onRequest` to the response, made current
 * again before the handler, since the body is read in callbacks that do not carry the
 * context of `onRequest`. Registered first, and only when tracing is on.
 */
export function registerRequestTracing(app: FastifyInstance): void {
  app.addHook('onRequest', (request, _reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const started = startRequestSpan(`${request.method} ${route}`, request.headers, {
      'http.request.method': request.method,
      'http.route': route,
    });
    if (!started) return done();
    traced.set(request, started);
    withContext(started.context, done);
  });
  app.addHook('preHandler', (request, _reply, done) => {
    withContext(traced.get(request)?.context, done);
  });
  const end = (request: FastifyRequest, status: number | undefined) => {
    const entry = traced.get(request);
    if (!entry) return;
    traced.delete(request);
    if (status !== undefined) entry.span.setAttribute('http.response.status_code', status);
    if (status === undefined || status >= 500) entry.span.setStatus({ code: SpanStatusCode.ERROR });
    entry.span.end();
  };
  app.addHook('onResponse', async (request, reply) => end(request, reply.statusCode));
  app.addHook('onRequestAbort', async (request) => end(request, undefined));
}
