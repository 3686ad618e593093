export type BflStatus =
  | 'Pending'
  | 'Queued'
  | 'Processing'
  | 'Ready'
  | 'Error'
  | 'Failed'
  | 'Task not found'
  | 'Request Moderated'
  | 'Content Moderated';

/** One answer of the polling URL; the last step repeats. */
export type BflPollStep =
  | BflStatus
  | { kind: 'http'; status: number; body?: unknown; headers?: Record<string, string> }
  | { kind: 'non-json' }
  | { kind: 'ready-without-sample' };

export type BflBehaviour =
  | {
      kind: 'task';
      /** Default `['Pending', 'Ready']`. */
      steps?: BflPollStep[];
      /** `junk`: the sample URL serves bytes that are not an image. */
      sample?: 'image' | 'junk';
      /** The origin written into polling_url (e.g. `https://api.eu.bfl.ai`); default the fake's. */
      pollingOrigin?: string;
      /** Use the second, "regional" polling path. */
      regional?: boolean;
      /** `none`: the polling URL answers without x-key (a URL of some other host). */
      pollingAuth?: 'key' | 'none';
      /** Answer `{id}` only, as older API versions did. */
      omitPollingUrl?: boolean;
    }
  | { kind: 'http'; status: number; body?: unknown; headers?: Record<string, string> }
  | { kind: 'non-json' }
  | { kind: 'wrong-shape' }
  | { kind: 'slow'; delayMs: number; then?: BflBehaviour };

/** BFL's error answers (bodies as observed or, where marked, approximated). */
export const bflErrors = {
  insufficientCredits: (): BflBehaviour => ({
    kind: 'http',
    status: 402,
    // Approximate wording.
    body: { detail: 'Insufficient credits. Add credits to your account to continue.' },
  }),
  rateLimited: (retryAfter = '3'): BflBehaviour => ({
    kind: 'http',
    status: 429,
    headers: { 'retry-after': retryAfter },
    // Approximate wording: BFL caps active tasks per account (24 by default).
    body: { detail: 'You have reached the maximum number of active tasks (24).' },
  }),
  serverError: (status = 500): BflBehaviour => ({
    kind: 'http',
    status,
    body: { detail: status === 503 ? 'Service Unavailable' : 'Internal Server Error' },
  }),
  badRequest: (detail = 'Invalid request'): BflBehaviour => ({
    kind: 'http',
    status: 400,
    body: { detail },
  }),
};
