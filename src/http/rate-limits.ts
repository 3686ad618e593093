import type { FastifyReply } from 'fastify';
import type { AdmissionRequest, LimitService } from '../limits/limit-service.js';

/**
 * Runs `work` once the key's and account's limits admit the request, with OpenAI's
 * `x-ratelimit-*` headers on the response; the concurrency slot is freed when `work` ends.
 * Refusals are thrown (429) before anything is held.
 */
export async function withinLimits<T>(
  reply: FastifyReply,
  limits: LimitService,
  request: AdmissionRequest,
  work: () => Promise<T>,
): Promise<T> {
  const admission = await reply.request.phases.time('limits', () => limits.admit(request));
  for (const [name, value] of Object.entries(admission.headers)) reply.header(name, value);
  try {
    return await work();
  } finally {
    await admission.release();
  }
}
