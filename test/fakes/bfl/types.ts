import type { IncomingHttpHeaders } from 'node:http';
import type { BflBehaviour } from './behaviours.js';

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** Parsed JSON when the body was JSON, else the raw text ('' for none). */
  body: unknown;
}

export interface FakeBfl {
  /** The base URL to configure, e.g. `http://127.0.0.1:PORT`. */
  url: string;
  apiKey: string;
  requests: RecordedRequest[];
  /** Queues behaviours for the next submissions, in order. */
  script(...behaviours: BflBehaviour[]): void;
  /** Clears the script, the tasks and the recorded requests. */
  reset(): void;
  /** The recorded `POST /v1/{model}` requests. */
  submissions(): RecordedRequest[];
  close(): Promise<void>;
}
