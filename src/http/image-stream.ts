import type { FastifyReply, FastifyRequest } from 'fastify';
import type { StreamMessage } from '../generation/stream.js';
import type { ImageRequest } from '../generation/request.js';
import { errorBody, toPixapiError } from '../errors.js';
import { openEventStream } from './sse.js';

// OpenAI's stream event schemas enumerate these; other values are reported as `auto`.
const EVENT_SIZES = new Set(['1024x1024', '1024x1536', '1536x1024']);
const EVENT_QUALITIES = new Set(['low', 'medium', 'high']);

function echo(request: ImageRequest) {
  return {
    created_at: Math.floor(Date.now() / 1000),
    size: EVENT_SIZES.has(request.size.requested) ? request.size.requested : 'auto',
    quality: EVENT_QUALITIES.has(request.quality) ? request.quality : 'auto',
    background: request.background,
    output_format: request.outputFormat,
  };
}

const NO_USAGE = {
  input_tokens: 0,
  output_tokens: 0,
  total_tokens: 0,
  input_tokens_details: { text_tokens: 0, image_tokens: 0 },
};

/**
 * Answers a streamed request with OpenAI's SSE events (`image_generation.*` or `image_edit.*`).
 * A failure before the first event is an ordinary HTTP error; after it, an `error` event.
 */
export async function replyWithStream(
  request: FastifyRequest,
  reply: FastifyReply,
  imageRequest: ImageRequest,
  produce: (clientGone: AbortSignal) => AsyncGenerator<StreamMessage>,
  prefix: 'image_generation' | 'image_edit',
): Promise<void> {
  const left = new AbortController();
  let gone = false;
  // The response closing before it finished means the client went away.
  reply.raw.once('close', () => {
    if (reply.raw.writableFinished) return;
    gone = true;
    left.abort(new Error('the client closed the connection'));
  });
  const messages = produce(left.signal);
  const first = await messages.next();
  if (first.done) return;
  if (first.value.type === 'error') throw first.value.error;
  const stream = openEventStream(request, reply);
  for (
    let next: IteratorResult<StreamMessage> = first;
    !next.done && !gone;
    next = await messages.next()
  ) {
    const message = next.value;
    if (message.type === 'partial_image') {
      stream.send(`${prefix}.partial_image`, {
        type: `${prefix}.partial_image`,
        b64_json: message.b64_json,
        partial_image_index: message.partial_image_index,
        ...echo(imageRequest),
      });
    } else if (message.type === 'completed') {
      stream.send(`${prefix}.completed`, {
        type: `${prefix}.completed`,
        b64_json: message.b64_json,
        ...echo(imageRequest),
        usage: message.usage ?? NO_USAGE,
        url: message.url,
        billing: message.billing,
      });
    } else {
      const error = toPixapiError(message.error);
      if (error.status >= 500) request.log.error({ err: message.error }, 'stream failed');
      stream.send('error', errorBody(error, request.id));
    }
  }
  // Ends the generator where it waits, so that it settles its charge (nothing, if unfinished).
  if (gone) await messages.return(undefined);
  stream.end();
}
