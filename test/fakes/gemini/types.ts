import type { IncomingHttpHeaders } from 'node:http';
import type { InlineImage } from './validation.js';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body, or the raw text when it was not JSON. */
  body: unknown;
}

/** One scripted answer; requests with nothing scripted get `{ kind: 'image' }`. */
export type FakeGeminiBehavior =
  | {
      kind: 'image';
      /** The text part beside the image; `false` for none. */
      text?: string | false;
      /** Thought parts (a thought text and a draft image) before the answer; default: pro only. */
      thoughts?: boolean;
      /** `null` leaves finishReason out. */
      finishReason?: string | null;
      /** Answer with snake_case keys (`inline_data`, `mime_type`), as some proxies do. */
      snakeCase?: boolean;
      mimeType?: 'image/png' | 'image/jpeg';
    }
  /** The prompt is refused before generation: `promptFeedback.blockReason`, no candidates. */
  | { kind: 'blocked'; blockReason: string }
  /** A candidate that stops with `finishReason` and no image (or with one, if `withImage`). */
  | { kind: 'finish'; finishReason: string; withImage?: boolean }
  /** finishReason STOP with a text part only. */
  | { kind: 'text-only'; text?: string }
  | { kind: 'no-candidates' }
  | { kind: 'corrupt-image'; mode: 'bad-base64' | 'not-an-image' }
  | { kind: 'non-json' }
  | { kind: 'rate-limited'; retryDelay?: string; retryAfter?: string; quotaId?: string }
  | {
      kind: 'error';
      status: number;
      message?: string;
      details?: unknown[];
      headers?: Record<string, string>;
    }
  /** Waits, then answers `then` (default: an image); gives up when the client goes away. */
  | { kind: 'slow'; delayMs: number; then?: FakeGeminiBehavior }
  /** Destroys the connection without an answer. */
  | { kind: 'hang-up' };

export interface FakeGemini {
  url: string;
  requests: RecordedRequest[];
  /** Queues the answers of the next requests, in order. */
  script(...behaviors: FakeGeminiBehavior[]): void;
  /** Clears the queue and the recorded requests. */
  reset(): void;
  /** Resolves once at least `count` requests have arrived. */
  waitForRequests(count: number): Promise<void>;
  close(): Promise<void>;
}

/** A valid request, as the answers need it. */
export interface Context {
  model: string;
  body: unknown;
  images: InlineImage[];
  thoughtsByDefault: boolean;
}
