import { FormData, fetch } from 'undici';
import type { Response } from 'undici';
import { parseJsonOrFail } from '../shared/http.js';
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
  const headers: Record<string, string> = { accept };
  if (target.apiKey) headers.authorization = `Bearer ${target.apiKey}`;
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
  const failure = classifyOpenAIHttpError(target.provider, response.status, response.headers, text);
  call.log.warn(
    {
      provider: target.provider,
      status: response.status,
      kind: failure.kind,
      upstreamCode: failure.upstreamCode,
      upstreamRequestId: response.headers.get('x-request-id') ?? undefined,
    },
    'upstream image request failed',
  );
  throw failure;
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
