import type { IncomingHttpHeaders } from 'node:http';
import type { FakeOpenAIBehaviour } from './behaviours.js';

export interface RecordedFile {
  field: string;
  filename: string;
  contentType: string;
  bytes: Buffer;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** JSON bodies parsed; multipart text parts (repeated names as arrays). */
  body: Record<string, unknown> | undefined;
  files: RecordedFile[];
}

export interface FakeOpenAIOptions {
  mode?: 'openai' | 'compatible';
  /** The key that the fake accepts (openai mode). */
  apiKey?: string;
  /** Compatible mode: fields accepted besides model, prompt, n, size and response_format. */
  extraFields?: string[];
  /** OpenAI's OpenAPI extract; by default the copy in test/fixtures. */
  schemaPath?: string;
  /** The fake's today (UTC ms), which decides the models it serves; by default the real one. */
  now?: () => number;
}

export interface FakeOpenAI {
  /** The base URL, with `/v1`, as `OPENAI_BASE_URL` takes it. */
  url: string;
  apiKey: string;
  requests: RecordedRequest[];
  /** Queues a behaviour for the next `times` image requests (after auth and validation). */
  script(behaviour: FakeOpenAIBehaviour, times?: number): void;
  /** Forgets scripted behaviours and recorded requests. */
  reset(): void;
  close(): Promise<void>;
}

export type Mode = NonNullable<FakeOpenAIOptions['mode']>;

export type Json = Record<string, unknown>;
