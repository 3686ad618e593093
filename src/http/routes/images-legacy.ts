import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { EDIT_JSON_LIMIT } from './images-edits.js';

/** Headers that carry over to the OpenAI-shaped route: the key, idempotency, request id. */
const FORWARDED = ['authorization', 'idempotency-key', 'content-type'] as const;

function forwardedHeaders(request: FastifyRequest): Record<string, string> {
  const headers: Record<string, string> = { 'x-request-id': request.id };
  for (const name of FORWARDED) {
    const value = request.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  return headers;
}

/**
 * Pixapi's hosted API's routes, for clients moving from it: `POST /v1/images/generate` and
 * `POST /v1/images/edit` answer `{code, message, data}` (`code` 0 and the image response in
 * `data` on success; the HTTP status, the error's message and `error` on failure). Each is
 * answered by its OpenAI-shaped twin in-process, so validation, idempotency and charging are
 * the same code path.
 */
export function imagesLegacyRoutes(app: FastifyInstance): void {
  const relay = (target: string) => async (request: FastifyRequest, reply: FastifyReply) => {
    const multipart = request.isMultipart();
    const res = await app.inject({
      method: 'POST',
      url: target,
      headers: forwardedHeaders(request),
      // Multipart bodies are not parsed on this route: the stream is handed on as it came.
      payload: multipart ? request.raw : JSON.stringify(request.body ?? {}),
    });
    const body = res.json<{ error?: { message: string } }>();
    for (const [name, value] of Object.entries(res.headers)) {
      if (name.startsWith('x-') || name === 'retry-after' || name === 'idempotent-replayed') {
        if (typeof value === 'string') reply.header(name, value);
      }
    }
    reply.status(res.statusCode);
    return body.error
      ? { code: res.statusCode, message: body.error.message, data: null, error: body.error }
      : { code: 0, message: 'success', data: body };
  };
  app.post('/v1/images/generate', relay('/v1/images/generations'));
  app.post('/v1/images/edit', { bodyLimit: EDIT_JSON_LIMIT }, relay('/v1/images/edits'));
}
