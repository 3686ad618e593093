import { toCredits } from '../credits.js';
import { PixapiError } from '../errors.js';
import { UpstreamFailure } from '../providers/errors.js';
import type { ImagesUsage, StreamEvent } from '../providers/types.js';
import type { RouteInfo } from './charge.js';
import { Deadline } from '../deadline.js';
import type { RouteProgress } from './router.js';
import type { ImageRequest } from './request.js';
import {
  noUsableImage,
  providerInput,
  AttemptFailure,
  type CallerContext,
  type EditExtras,
  type GenerationService,
} from './service.js';

export type StreamMessage =
  | { type: 'partial_image'; b64_json: string; partial_image_index: number }
  | {
      type: 'completed';
      b64_json: string;
      url: string | undefined;
      usage: ImagesUsage | undefined;
      billing: { images: number; credits: number };
      chargedMilli: number;
      availableMilli: number;
    }
  | { type: 'error'; error: unknown };

interface OpenedStream {
  first: IteratorResult<StreamEvent>;
  rest: AsyncIterator<StreamEvent>;
}

/**
 * A streamed generation or edit (OpenAI's `stream: true`): partial images are passed through as
 * they arrive; the final image is validated, stored and charged like any other. Retries and
 * fallback apply until the provider's first event; after that a failure ends the stream with an
 * error event and nothing charged.
 */
export async function* streamImages(
  service: GenerationService,
  caller: CallerContext,
  request: ImageRequest,
  extra: EditExtras,
  clientGone: AbortSignal,
): AsyncGenerator<StreamMessage> {
  const { deps } = service;
  const charge = await service.open(caller, request);
  // The client leaving stops the provider too: nothing it no longer waits for is charged.
  const deadline = new Deadline(deps.syncTimeoutMs, [clientGone]);
  const signal = deadline.signal;
  const passthrough =
    request.partialImages === undefined
      ? request.passthrough
      : { ...request.passthrough, partial_images: request.partialImages };
  let routing: RouteInfo = { route: null, attempts: 0 };
  let upstream: AsyncIterator<StreamEvent> | undefined;
  const progress: RouteProgress = { route: null, attempts: 0 };
  try {
    let opened: { value: OpenedStream; route: string; attempts: number };
    try {
      opened = await deps.router.dispatch(
        request.model,
        providerInput(request, extra),
        passthrough,
        service.call(caller, signal),
        async (provider, upstream, call) => {
          if (!provider.stream) throw new UpstreamFailure('terminal', 'this route does not stream');
          const rest = provider.stream(upstream, call)[Symbol.asyncIterator]();
          return { first: await rest.next(), rest };
        },
        progress,
      );
    } catch (error) {
      throw AttemptFailure.from(error, signal, deps.syncTimeoutMs, progress);
    }
    routing = { route: opened.route, attempts: opened.attempts };
    upstream = opened.value.rest;
    let next = opened.value.first;
    while (!next.done) {
      const event = next.value;
      if (event.type === 'partial_image') {
        yield { type: 'partial_image', b64_json: event.b64, partial_image_index: event.index };
      } else {
        const [delivered] = await service.collect([event.image], request, caller.log, signal);
        if (!delivered) throw noUsableImage();
        if (clientGone.aborted) throw clientGone.reason;
        const {
          data: [data],
        } = await service.store(caller, { ...request, responseFormat: 'url' }, [delivered]);
        const { charged, balance } = await charge.succeed(1, routing);
        yield {
          type: 'completed',
          // OpenAI's completed event requires b64_json, so it stays even when `url` is asked.
          b64_json: delivered.bytes.toString('base64'),
          url: service.responseFormat(request) === 'b64_json' ? undefined : data?.url,
          usage: event.usage,
          billing: { images: 1, credits: toCredits(charged) },
          chargedMilli: charged,
          availableMilli: balance.available,
        };
        return;
      }
      next = await opened.value.rest.next();
    }
    throw noUsableImage();
  } catch (error) {
    const failure = clientGone.aborted
      ? new AttemptFailure(closedByClient(), routing)
      : error instanceof AttemptFailure
        ? error
        : AttemptFailure.from(error, signal, deps.syncTimeoutMs, routing);
    await charge.fail(failure.clientError, failure.routing);
    yield { type: 'error', error: failure.clientError };
  } finally {
    deadline.end();
    // The consumer stopped early (the client went away): stop the upstream stream, charge nothing.
    if (!charge.isSettled) {
      await upstream?.return?.();
      await charge.fail(closedByClient(), routing);
    }
  }
}

function closedByClient(): PixapiError {
  return new PixapiError({
    code: 'client_closed_request',
    message: 'The client closed the stream before the image was delivered.',
  });
}
