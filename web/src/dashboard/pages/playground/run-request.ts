import { ApiError, json, request } from '../../api/client.js';
import type { ImageResult } from '../../api/types.js';

export interface RunImage {
  /** A URL the browser can show and download: the stored asset or a data URL. */
  src: string;
  partial: boolean;
}

export interface RunEvents {
  /** The latest partial image of the image being made; each refines the one before. */
  onPartial: (image: RunImage) => void;
  /** A finished image of a stream, before the others of the request are done. */
  onImage: (image: RunImage) => void;
}

const dataUrl = (b64: string, format: string) => `data:image/${format};base64,${b64}`;

function imagesOf(result: ImageResult, format: string): RunImage[] {
  return result.data.flatMap((d) => {
    const src = d.url ?? (d.b64_json ? dataUrl(d.b64_json, format) : undefined);
    return src ? [{ src, partial: false }] : [];
  });
}

interface StreamEvent {
  event: string;
  data: {
    b64_json?: string;
    url?: string;
    error?: { message?: string; code?: string; type?: string };
  };
}

/** Splits a Server-Sent Events body (src/http/sse.ts) into its events as they arrive. */
async function* events(body: ReadableStream<Uint8Array>): AsyncGenerator<StreamEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (data) yield { event, data: JSON.parse(data) as StreamEvent['data'] };
    }
  }
}

/** A streamed generation: partial images as they come, then the final ones. */
async function runStream(
  path: string,
  body: Record<string, unknown>,
  format: string,
  on: RunEvents,
): Promise<RunImage[]> {
  const response = await request(path, { body: { ...body, stream: true, partial_images: 2 } });
  if (!response.body) throw new ApiError(0, 'The stream did not open.');
  const final: RunImage[] = [];
  for await (const { event, data } of events(response.body)) {
    if (event.endsWith('.partial_image') && data.b64_json) {
      on.onPartial({ src: dataUrl(data.b64_json, format), partial: true });
    } else if (event.endsWith('.completed')) {
      const src = data.url ?? (data.b64_json ? dataUrl(data.b64_json, format) : undefined);
      if (src) {
        final.push({ src, partial: false });
        on.onImage({ src, partial: false });
      }
    } else if (event === 'error') {
      const e = data.error ?? {};
      throw new ApiError(
        500,
        e.message ?? 'The generation failed.',
        e.type ?? null,
        e.code ?? null,
      );
    }
  }
  return final;
}

export interface RunOptions {
  mode: 'generate' | 'edit';
  body: Record<string, unknown>;
  files: File[];
  format: string;
  stream: boolean;
}

/** Sends the playground's request once; the server charges only delivered images. */
export async function runRequest(options: RunOptions, on: RunEvents): Promise<RunImage[]> {
  const path = options.mode === 'edit' ? '/v1/images/edits' : '/v1/images/generations';
  if (options.files.length > 0) {
    const form = new FormData();
    for (const [key, value] of Object.entries(options.body)) form.set(key, String(value));
    for (const file of options.files) form.append('image[]', file);
    const result = await json<ImageResult>(path, { form });
    return imagesOf(result, options.format);
  }
  if (options.stream) return runStream(path, options.body, options.format, on);
  return imagesOf(await json<ImageResult>(path, { body: options.body }), options.format);
}
