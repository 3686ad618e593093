import type { RecordedJsonRequest } from '../shared/reply-server.js';
import type { ReplicateScript } from './behaviours.js';

export const REPLICATE_FAKE_TOKEN = 'r8_FakeTokenForTests0000000000000000000';
/** A version id the fake knows (64 hex digits, like Replicate's). */
export const REPLICATE_FAKE_VERSION =
  '5599ed30703defd1d160a25a63321b4dec97101d98b4674bcc56e41f62f35637';

/** A request as the fake recorded it: method, path with query, headers, parsed body. */
export type ReplicateRecordedRequest = RecordedJsonRequest;

export interface ReplicateFakeOptions {
  token?: string;
  /** Official models the fake serves (`owner/name`). */
  models?: string[];
  /** Versions the fake serves. */
  versions?: string[];
  /**
   * How long, at most, a `Prefer: wait` creation is held when the prediction is not done (the
   * real API holds the full N seconds; tests need no such wait). Default 10 ms.
   */
  maxHoldMs?: number;
  /** Whether the prediction URLs need the token, as on Replicate (default true). */
  predictionUrlsNeedAuth?: boolean;
}

export interface ReplicateFake {
  /** Base URL, as REPLICATE_BASE_URL (no trailing slash). */
  url: string;
  requests: ReplicateRecordedRequest[];
  /** Queues behaviours for the next creations, in order. */
  script(...scripts: ReplicateScript[]): void;
  /** Forgets scripts, predictions and recorded requests. */
  reset(): void;
  /** Resolves when a matching request has been received (already or later). */
  waitForRequest(
    predicate: (r: ReplicateRecordedRequest) => boolean,
  ): Promise<ReplicateRecordedRequest>;
  close(): Promise<void>;
}
