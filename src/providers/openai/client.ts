import { UpstreamFailure } from '../errors.js';
import { collectSuccesses } from '../shared/fan-out.js';
import { sumUsage } from '../shared/usage.js';
import type {
  EditInput,
  GenerateInput,
  ImageProvider,
  ProviderCall,
  ProviderResult,
  StreamEvent,
} from '../types.js';
import { postJsonToOpenAI, postToOpenAI, readJson, upstreamStep } from './wire.js';
import type { WireTarget } from './wire.js';
import { toEditForm } from './multipart.js';
import { withStreaming } from './request.js';
import type { WireFields } from './request.js';
import { fromOpenAIImagesResponse } from './response.js';
import type { ParsedImages } from './response.js';
import { readSseEvents } from './sse.js';
import { fromOpenAIStreamEvent } from './stream-events.js';

/**
 * What differs between servers that speak OpenAI's Images API: which fields they take and how
 * many images one call makes. The wire format, parsing and failure classification are shared.
 */
export interface OpenAIDialect extends WireTarget {
  generationBody(input: GenerateInput): WireFields;
  editFields(input: EditInput): WireFields;
  /** The name of the file parts of an edit, given how many images there are. */
  imageField(count: number): string;
  /** Images per call for n images: `[n]` for one call, `[1, 1]` for one call per image. */
  batches(input: GenerateInput): number[];
  /** Whether the model streams partial images over SSE. */
  streams(model: string): boolean;
  /**
   * Present for servers whose edits are JSON with the images inline (xAI) rather than
   * multipart; the body replaces the multipart form.
   */
  editJsonBody?(input: EditInput): WireFields;
  /** The path after the base URL, when not `/images/{operation}` (Azure's deployments). */
  path?(operation: 'generations' | 'edits', model: string): string;
}

function isEdit(input: GenerateInput | EditInput): input is EditInput {
  return 'images' in input && Array.isArray(input.images);
}

export interface OpenAIImagesClient extends Required<Pick<ImageProvider, 'generate' | 'edit'>> {
  stream(input: GenerateInput | EditInput, call: ProviderCall): AsyncIterable<StreamEvent>;
}

/** An ImageProvider over `/images/generations` and `/images/edits` of one OpenAI-style server. */
export function createOpenAIImagesClient(dialect: OpenAIDialect): OpenAIImagesClient {
  const pathOf = (operation: 'generations' | 'edits', model: string) =>
    dialect.path?.(operation, model) ?? `/images/${operation}`;

  /** POSTs a generation (JSON) or an edit (multipart), streamed or not. */
  function post(input: GenerateInput | EditInput, call: ProviderCall, stream: boolean) {
    const fields = (base: WireFields) => (stream ? withStreaming(base, input.options) : base);
    const accept = stream ? 'text/event-stream' : 'application/json';
    if (!isEdit(input)) {
      return postToOpenAI(
        dialect,
        pathOf('generations', input.model),
        fields(dialect.generationBody(input)),
        call,
        accept,
      );
    }
    const form = toEditForm(
      fields(dialect.editFields(input)),
      input.images,
      input.mask,
      dialect.imageField(input.images.length),
    );
    return postToOpenAI(dialect, pathOf('edits', input.model), form, call, accept);
  }

  async function callOnce(
    input: GenerateInput | EditInput,
    call: ProviderCall,
  ): Promise<ParsedImages> {
    const json = !isEdit(input)
      ? await postJsonToOpenAI(
          dialect,
          pathOf('generations', input.model),
          dialect.generationBody(input),
          call,
        )
      : dialect.editJsonBody
        ? await postJsonToOpenAI(
            dialect,
            pathOf('edits', input.model),
            dialect.editJsonBody(input),
            call,
          )
        : await readJson(dialect, await post(input, call, false), call);
    const parsed = fromOpenAIImagesResponse(dialect.provider, json, dialect.baseUrl);
    if (parsed.dropped > 0) {
      call.log.warn(
        { provider: dialect.provider, dropped: parsed.dropped },
        'upstream answer items without a usable image',
      );
    }
    return parsed;
  }

  /** n images in one call or several in parallel; partial success keeps what succeeded. */
  async function run(
    input: GenerateInput | EditInput,
    call: ProviderCall,
  ): Promise<ProviderResult> {
    const batches = dialect.batches(input);
    if (batches.length <= 1) {
      const { images, usage } = await callOnce(input, call);
      return { images: images.slice(0, input.n), ...(usage ? { usage } : {}) };
    }
    let failed = 0;
    const succeeded = await collectSuccesses(
      batches.map((n) => callOnce({ ...input, n }, call)),
      call.signal,
      () => failed++,
    );
    if (failed > 0) {
      call.log.warn(
        { provider: dialect.provider, failed, succeeded: succeeded.length },
        'some upstream calls failed; returning the images that succeeded',
      );
    }
    const usage = sumUsage(succeeded.map((s) => s.usage));
    return {
      images: succeeded.flatMap((s) => s.images).slice(0, input.n),
      ...(usage ? { usage } : {}),
    };
  }

  async function* streamed(
    input: GenerateInput | EditInput,
    call: ProviderCall,
  ): AsyncGenerator<StreamEvent> {
    const response = await post(input, call, true);
    if (!(response.headers.get('content-type') ?? '').includes('text/event-stream')) {
      // A server that ignored `stream` answers the whole result at once.
      const parsed = fromOpenAIImagesResponse(
        dialect.provider,
        await readJson(dialect, response, call),
        dialect.baseUrl,
      );
      for (const [i, image] of parsed.images.entries()) {
        yield {
          type: 'completed',
          image,
          ...(i === 0 && parsed.usage ? { usage: parsed.usage } : {}),
        };
      }
      return;
    }
    const body = response.body;
    if (!body)
      throw new UpstreamFailure('invalid_response', `${dialect.provider} sent an empty stream`);
    const events = readSseEvents(body)[Symbol.asyncIterator]();
    let completed = 0;
    let finished = false;
    try {
      for (;;) {
        const next = await upstreamStep(dialect, call, () => events.next());
        if (next.done) break;
        const event = fromOpenAIStreamEvent(dialect.provider, next.value);
        if (!event) continue;
        if (event.type === 'completed') completed++;
        yield event;
      }
      finished = true;
    } finally {
      // The consumer stopped early or an event failed: closing the reader cancels the body and
      // releases the connection.
      if (!finished) await events.return?.(undefined).catch(() => undefined);
    }
    if (completed === 0) {
      throw new UpstreamFailure(
        'invalid_response',
        `${dialect.provider} stream ended without an image`,
      );
    }
  }

  return {
    generate: run,
    edit: run,
    async *stream(input, call) {
      if (dialect.streams(input.model)) {
        yield* streamed(input, call);
        return;
      }
      // Models without streaming answer at once: one `completed` event per image.
      const result = await run(input, call);
      for (const [i, image] of result.images.entries()) {
        yield {
          type: 'completed',
          image,
          ...(i === 0 && result.usage ? { usage: result.usage } : {}),
        };
      }
    },
  };
}
