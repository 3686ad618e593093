import { z } from 'zod';
import { UpstreamFailure } from '../errors.js';
import { parseJsonOrFail } from '../shared/http.js';
import type { StreamEvent } from '../types.js';
import { classifyOpenAIStreamError, toOpenAIError } from './errors.js';
import { decodeBase64Image, parseUsage } from './response.js';
import type { SseEvent } from './sse.js';

const eventSchema = z.object({
  type: z.string().optional(),
  b64_json: z.string().optional(),
  partial_image_index: z.number().int().nonnegative().optional(),
  usage: z.unknown().optional(),
});

/**
 * Maps one SSE event of a streamed generation or edit (`image_generation.partial_image`,
 * `image_generation.completed`, `image_edit.*`) to a Pixapi stream event. Returns undefined for
 * events that carry nothing for the client (`[DONE]`, keep-alives, unknown types).
 *
 * @throws UpstreamFailure for `error` events (classified) and for broken image events.
 * @example
 * fromOpenAIStreamEvent('openai', { event: 'image_generation.partial_image', data: '{"b64_json":"iVBO...","partial_image_index":0}', id: undefined })
 * // { type: 'partial_image', b64: 'iVBO...', index: 0 }
 */
export function fromOpenAIStreamEvent(provider: string, sse: SseEvent): StreamEvent | undefined {
  if (sse.data.trim() === '[DONE]') return undefined;
  const json = parseJsonOrFail(sse.data, `${provider} sent a stream event that is not JSON`);
  // `{"error": {...}}` in any event, or the error object itself as the data of an `error` event.
  const error =
    toOpenAIError(json) ?? (sse.event === 'error' ? toOpenAIError({ error: json }) : undefined);
  if (error) throw classifyOpenAIStreamError(provider, error);
  if (sse.event === 'error') {
    throw new UpstreamFailure('retryable', `${provider} sent an error event without details`);
  }
  const parsed = eventSchema.safeParse(json);
  if (!parsed.success) {
    throw new UpstreamFailure('invalid_response', `${provider} sent a malformed stream event`);
  }
  const type = sse.event ?? parsed.data.type ?? '';
  if (type.endsWith('.partial_image')) {
    const b64 = parsed.data.b64_json;
    if (!b64)
      throw new UpstreamFailure(
        'invalid_response',
        `${provider} sent a partial image without data`,
      );
    return { type: 'partial_image', b64, index: parsed.data.partial_image_index ?? 0 };
  }
  if (type.endsWith('.completed')) {
    const bytes = parsed.data.b64_json ? decodeBase64Image(parsed.data.b64_json) : undefined;
    if (!bytes)
      throw new UpstreamFailure('invalid_response', `${provider} completed without a usable image`);
    const usage = parseUsage(parsed.data.usage);
    return { type: 'completed', image: { bytes }, ...(usage ? { usage } : {}) };
  }
  return undefined;
}
