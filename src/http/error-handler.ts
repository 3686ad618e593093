/**
 * The Fastify side of errors: what `toPixapiError` (src/errors.ts) makes of any thrown value is
 * rendered here as a reply, for routes, for Fastify's own errors and for requests Node's HTTP
 * parser refuses.
 */

import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type {
  FastifyBaseLogger,
  FastifyError,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
} from 'fastify';
import { sortableId } from '../ids.js';
import { ERROR_CODES, errorBody, PixapiError, toPixapiError, type ErrorCode } from '../errors.js';

function render(request: FastifyRequest, reply: FastifyReply, error: PixapiError) {
  for (const [name, value] of Object.entries(error.headers)) reply.header(name, value);
  // OpenAI's SDKs re-send on 408/409/429/5xx unless told otherwise; paid work must not repeat.
  reply.header('x-should-retry', String(error.retryable));
  return reply.status(error.status).send(errorBody(error, request.id));
}

/**
 * A client's mistake (bad JSON, a limit, a bad key) is routine: info, without a stack. A 5xx is
 * ours to look at: error, with the stack; unclassified ones are bugs and say so.
 */
function logError(log: FastifyBaseLogger, error: unknown, rendered: PixapiError): void {
  if (rendered.status < 500) {
    log.info({ status: rendered.status, code: rendered.code }, rendered.message);
  } else if (error instanceof PixapiError) {
    log.error({ err: error, code: rendered.code }, rendered.message);
  } else {
    log.error({ err: error }, 'unhandled error');
  }
}

/**
 * Errors Fastify raises before any route runs (a URL it cannot decode, a path parameter past
 * `maxParamLength`), in the same shape as every other error. Pass as `frameworkErrors`.
 */
export function frameworkErrorHandler(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  const rendered = toPixapiError(error);
  logError(request.log, error, rendered);
  void render(request, reply, rendered);
}

const CLIENT_ERRORS: Record<string, [ErrorCode, string]> = {
  ERR_HTTP_REQUEST_TIMEOUT: ['request_timeout', 'The request took too long to arrive.'],
  HPE_HEADER_OVERFLOW: ['headers_too_large', 'The request headers are too large.'],
};

/**
 * Requests Node's HTTP parser refuses (a bare CR in a header, headers too large, a request
 * that arrives too slowly) never reach Fastify's routing: answered here, on the raw socket, in
 * OpenAI's error shape. Pass as `clientErrorHandler`.
 */
export function clientErrorHandler(
  this: FastifyInstance,
  error: Error & { code?: string },
  socket: Socket,
): void {
  // A reset connection has nobody left to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [code, message] = CLIENT_ERRORS[error.code ?? ''] ?? [
    'invalid_request',
    'The request could not be parsed as HTTP.',
  ];
  const { status, type } = ERROR_CODES[code];
  const requestId = sortableId('req');
  this.log.info({ status, code, requestId, reason: error.code }, message);
  if (socket.writable) {
    const body = JSON.stringify({
      error: { message, type, param: null, code, request_id: requestId },
    });
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Bad Request'}\r\n` +
        'content-type: application/json; charset=utf-8\r\n' +
        `content-length: ${Buffer.byteLength(body)}\r\n` +
        `x-request-id: ${requestId}\r\n` +
        'connection: close\r\n\r\n' +
        body,
    );
  }
  socket.destroy();
}

/**
 * The one place where errors become responses: OpenAI's error shape plus the request id,
 * never a stack trace or an upstream detail.
 */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const rendered = toPixapiError(error);
    logError(request.log, error, rendered);
    return render(request, reply, rendered);
  });

  app.setNotFoundHandler((request, reply) =>
    render(
      request,
      reply,
      new PixapiError({
        code: 'not_found',
        message: `No route for ${request.method} ${request.url.split('?')[0]}.`,
      }),
    ),
  );
}
