import { UpstreamFailure } from '../errors.js';
import type { UpstreamFailureInit } from '../errors.js';
import { providerUrlFailure } from './network-failure.js';

/** Header access that undici's and the platform's `Headers` both fit. */
export interface HeaderLookup {
  get(name: string): string | null;
}

/** The parts of an HTTP answer that adapters read; undici's and the global Response both fit. */
export interface HttpAnswer {
  status: number;
  headers: HeaderLookup;
  text(): Promise<string>;
}

/** An answer read whole. */
export interface UpstreamAnswer {
  status: number;
  headers: HeaderLookup;
  /** The raw body, for messages and for non-JSON answers. */
  text: string;
  /** The parsed body; undefined when it is not JSON. */
  json: unknown;
}

/**
 * The JSON in `text`, or undefined when it is not JSON (an HTML error page, an empty body).
 * Valid JSON never parses to undefined, so undefined always means "not JSON".
 */
export function parseJsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * The JSON of an answer that the provider's API promises to be JSON; anything else is an
 * `invalid_response` failure with `message` (and the parse error as its cause).
 *
 * @example
 * parseJsonOrFail(text, 'BFL task answer was not JSON');
 */
export function parseJsonOrFail(
  text: string,
  message: string,
  init: Omit<UpstreamFailureInit, 'cause'> = {},
): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new UpstreamFailure('invalid_response', message, { ...init, cause });
  }
}

/** Reads a whole answer once; a body that is not JSON gives `json: undefined`, never a throw. */
export async function readAnswer(response: HttpAnswer): Promise<UpstreamAnswer> {
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    text,
    json: parseJsonOrUndefined(text),
  };
}

/**
 * Sends one request and reads its whole answer, whatever its status. A request that got no
 * answer fails as `providerUrlFailure` says; an aborted signal throws its reason.
 *
 * @example
 * const answer = await fetchAnswer(() => call.fetchProviderUrl(url), call.signal, 'fal');
 */
export async function fetchAnswer(
  send: () => Promise<HttpAnswer>,
  signal: AbortSignal,
  provider: string,
): Promise<UpstreamAnswer> {
  try {
    return await readAnswer(await send());
  } catch (error) {
    throw providerUrlFailure(error, signal, provider);
  }
}
