import type { RecordedJsonRequest } from '../shared/reply-server.js';
import type { FalScript } from './behaviours.js';

/** A key in fal's `key_id:key_secret` form. */
export const FAL_FAKE_KEY = 'fake-key-id:fake-key-secret';

/** A request as the fake recorded it: method, path with query, headers, parsed body. */
export type FalRecordedRequest = RecordedJsonRequest;

export interface FalFakeOptions {
  key?: string;
  /** Whether status/result/cancel URLs need the key, as on fal (default true). */
  queueUrlsNeedAuth?: boolean;
  /** Top-level input fields the fake's model accepts; others get fal's 422. */
  knownFields?: string[];
}

export interface FalFake {
  /** Base URL, as FAL_BASE_URL (no trailing slash). */
  url: string;
  requests: FalRecordedRequest[];
  /** Queues behaviours for the next submissions, in order. */
  script(...scripts: FalScript[]): void;
  /** Forgets scripts, requests and recorded requests. */
  reset(): void;
  /** Resolves when a matching request has been received (already or later). */
  waitForRequest(predicate: (r: FalRecordedRequest) => boolean): Promise<FalRecordedRequest>;
  close(): Promise<void>;
}
