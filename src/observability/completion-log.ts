import type { FastifyInstance } from 'fastify';
import { PhaseTimer } from './phases.js';

declare module 'fastify' {
  interface FastifyRequest {
    phases: PhaseTimer;
  }
}

/** Prompts are customer data: logged only when the operator asks, and cut short. */
const PROMPT_CHARS = 500;

function promptOf(body: unknown): string | undefined {
  const prompt = (body as { prompt?: unknown } | null | undefined)?.prompt;
  return typeof prompt === 'string' ? prompt.slice(0, PROMPT_CHARS) : undefined;
}

/**
 * One line per request when it completes (instead of Fastify's two): method, path (the route
 * template), status, duration, and for image requests the time of each phase, model, provider
 * route, attempts and credits charged (millicredits).
 */
export function registerCompletionLog(app: FastifyInstance, options: { logPrompts: boolean }) {
  app.decorateRequest('phases', null as unknown as PhaseTimer);
  app.addHook('onRequest', async (request) => {
    request.phases = new PhaseTimer();
  });
  app.addHook('onResponse', async (request, reply) => {
    const { phases } = request;
    const timed = Object.keys(phases.ms).length > 0;
    request.log.info(
      {
        method: request.method,
        path: request.routeOptions.url ?? 'unmatched',
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 10) / 10,
        ...(timed ? { phases: phases.ms } : {}),
        ...phases.facts,
        ...(options.logPrompts && timed ? { prompt: promptOf(request.body) } : {}),
      },
      'request completed',
    );
  });
}
