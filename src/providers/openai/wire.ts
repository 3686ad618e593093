import type { IncomingHttpHeaders } from 'node:http';
import { FormData, fetch, request } from 'undici';
import type { Response } from 'undici';
import { parseJsonOrFail, type HeaderLookup } from '../shared/http.js';
import { networkFailure } from '../shared/network-failure.js';
import type { ProviderCall } from '../types.js';
import { classifyOpenAIHttpError } from './errors.js';

/** Where an OpenAI-style server lives and how to authenticate to it. */
export interface WireTarget {
  /** The provider name, for messages and logs. */
  provider: string;
  /** Already without a trailing slash; OpenAI's includes `/v1`. */
  baseUrl: string;
  /** Sent as `Authorization: Bearer` only when set (self-hosted servers may have none). */
  apiKey: string | undefined;
  /** Sent instead of the Bearer header, for servers that authenticate otherwise (Azure). */
  authHeaders?: Record<string, string>;
}

function networkReason(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  if (cause instanceof Error) {
    const code = (cause as Error & { code?: unknown }).code;
    return typeof code === 'string' ? code : cause.name;
  }
  return 'unknown error';
}

/**
 * Runs one step of an upstream call. An aborted signal re-throws its reason (the client's
 * deadline, never classified); any other failure that is not already classified is a network
 * failure, which is retryable.
 */
export async function upstreamStep<T>(
  target: WireTarget,
  call: ProviderCall,
  step: () => Promise<T>,
): Promise<T> {
  try {
    return await step();
  } catch (error) {
    throw networkFailure(
      error,
      call.signal,
      `${target.provider} network error: ${networkReason(error)}`,
    );
  }
}

function headerLookup(headers: IncomingHttpHeaders): HeaderLookup {
  return {
    get(name) {
      const value = headers[name.toLowerCase()];
      return Array.isArray(value) ? value.join(', ') : (value ?? null);
    },
  };
}

function requestHeaders(target: WireTarget, accept: string): Record<string, string> {
  const headers: Record<string, string> = { accept };
  if (target.authHeaders) Object.assign(headers, target.authHeaders);
  else if (target.apiKey) headers.authorization = `Bearer ${target.apiKey}`;
  return headers;
}

function classifyAndLog(
  target: WireTarget,
  call: ProviderCall,
  status: number,
  headers: HeaderLookup,
  text: string,
): never {
  const failure = classifyOpenAIHttpError(target.provider, status, headers, text);
  call.log.warn(
    {
      provider: target.provider,
      status,
      kind: failure.kind,
      upstreamCode: failure.upstreamCode,
      upstreamRequestId: headers.get('x-request-id') ?? undefined,
    },
    'upstream image request failed',
  );
  throw failure;
}

/**
 * POSTs JSON to `{base}{path}` and returns the JSON of a 2xx answer; any other status is read
 * and classified, and a 2xx body that is not JSON is `invalid_response`. Uses `undici.request`
 * rather than `fetch`: without WHATWG streams and Response objects, the call costs about half
 * the main-thread time, which matters on the hot path of every generation.
 */
export async function postJsonToOpenAI(
  target: WireTarget,
  path: string,
  body: Record<string, unknown>,
  call: ProviderCall,
): Promise<unknown> {
  const headers = requestHeaders(target, 'application/json');
  headers['content-type'] = 'application/json';
  const { status, lookup, text } = await upstreamStep(target, call, async () => {
    const response = await request(`${target.baseUrl}${path}`, {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
      signal: call.signal,
    });
    return {
      status: response.statusCode,
      lookup: headerLookup(response.headers),
      text: await response.body.text(),
    };
  });
  if (status < 200 || status > 299) classifyAndLog(target, call, status, lookup, text);
  return parseJsonOrFail(
    text,
    `${target.provider} answered ${status} with a body that is not JSON`,
    {
      status,
    },
  );
}

/**
 * POSTs JSON or multipart to `{base}{path}` and returns the 2xx response; any other status is
 * read and classified.
 */
export async function postToOpenAI(
  target: WireTarget,
  path: string,
  body: Record<string, unknown> | FormData,
  call: ProviderCall,
  accept = 'application/json',
): Promise<Response> {
  const headers = requestHeaders(target, accept);
  // FormData sets its own multipart content type with the boundary.
  if (!(body instanceof FormData)) headers['content-type'] = 'application/json';
  const payload = body instanceof FormData ? body : JSON.stringify(body);
  const response = await upstreamStep(target, call, () =>
    fetch(`${target.baseUrl}${path}`, {
      method: 'POST',
      headers,
      body: payload,
      signal: call.signal,
    }),
  );
  if (response.ok) return response;
  const text = await upstreamStep(target, call, () => response.text());
  return classifyAndLog(target, call, response.status, response.headers, text);
}

/** The JSON of a 2xx answer; a body that is not JSON is `invalid_response`. */
export async function readJson(
  target: WireTarget,
  response: Response,
  call: ProviderCall,
): Promise<unknown> {
  const text = await upstreamStep(target, call, () => response.text());
  return parseJsonOrFail(
    text,
    `${target.provider} answered ${response.status} with a body that is not JSON`,
    { status: response.status },
  );
}
