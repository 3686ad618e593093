import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PixapiError, type ErrorType } from '../errors.js';

/** Fastify's own errors (body parsing, limits) as Pixapi errors. */
function fromFastify(error: FastifyError): PixapiError | undefined {
  const status = error.statusCode ?? 500;
  if (status >= 500) return undefined;
  const known: Record<number, [ErrorType, string, string]> = {
    400: ['invalid_request_error', 'invalid_body', 'The request body could not be parsed.'],
    404: ['invalid_request_error', 'not_found', 'Not found.'],
    413: ['invalid_request_error', 'payload_too_large', 'The request body is too large.'],
    415: [
      'invalid_request_error',
      'unsupported_media_type',
      'Unsupported content type: send application/json.',
    ],
  };
  const [type, code, message] = known[status] ?? [
    'invalid_request_error',
    'invalid_request',
    'Invalid request.',
  ];
  return new PixapiError({ status, type, code, message, cause: error });
}

const INTERNAL_MESSAGE = 'Internal error. Quote the request id to support.';

/** Any thrown value as a PixapiError; unknown errors become a bare 500 that reveals nothing. */
export function toPixapiError(error: unknown): PixapiError {
  if (error instanceof PixapiError) return error;
  const fastify = error as FastifyError;
  const known = fastify?.statusCode ? fromFastify(fastify) : undefined;
  return (
    known ??
    new PixapiError({
      status: 500,
      type: 'server_error',
      code: 'internal_error',
      message: INTERNAL_MESSAGE,
      cause: error,
    })
  );
}

/** OpenAI's error body plus the request id that support will ask for. */
export function errorBody(error: PixapiError, requestId: string) {
  return {
    error: {
      message: error.message,
      type: error.type,
      param: error.param,
      code: error.code,
      request_id: requestId,
    },
  };
}

function render(request: FastifyRequest, reply: FastifyReply, error: PixapiError) {
  for (const [name, value] of Object.entries(error.headers)) reply.header(name, value);
  // OpenAI's SDKs re-send on 408/409/429/5xx unless told otherwise; paid work must not repeat.
  reply.header('x-should-retry', String(error.retryable));
  return reply.status(error.status).send(errorBody(error, request.id));
}

/**
 * The one place where errors become responses: OpenAI's error shape plus the request id,
 * never a stack trace or an upstream detail.
 */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const rendered = toPixapiError(error);
    // Classified failures (a provider down, a model not configured) are expected operations;
    // anything unclassified is a bug and logged as one, with its stack.
    if (!(error instanceof PixapiError)) request.log.error({ err: error }, 'unhandled error');
    else if (rendered.status >= 500) request.log.warn({ code: rendered.code }, rendered.message);
    return render(request, reply, rendered);
  });

  app.setNotFoundHandler((request, reply) =>
    render(
      request,
      reply,
      new PixapiError({
        status: 404,
        type: 'invalid_request_error',
        code: 'not_found',
        message: `No route for ${request.method} ${request.url.split('?')[0]}.`,
      }),
    ),
  );
}
