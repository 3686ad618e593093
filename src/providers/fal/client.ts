import { fetch } from 'undici';
import { fetchAnswer } from '../shared/http.js';
import { pollUntil } from '../shared/polling.js';
import type { PollBackoff } from '../../backoff.js';
import { hasOrigin, mayCarryCredentials } from '../shared/trusted-urls.js';
import type { ProviderCall, ProviderImage } from '../types.js';
import { classifyFalError, falStatusFailure } from './errors.js';
import { falModelPath } from './request.js';
import { fromFalResult, fromFalStatus, parseFalSubmission } from './response.js';
import type { FalCompletion, FalSubmission } from './response.js';

/**
 * fal's queue over HTTP: submit to the configured base URL, then follow the status, result and
 * cancel URLs that fal hands back (never built here).
 */

export interface FalSettings {
  apiKey: string;
  /** Without a trailing slash (config.ts trims it). */
  baseUrl: string;
  /** Status polling backoff; the default (250 ms doubling to 2 s) suits fal. */
  poll?: PollBackoff;
}

const CANCEL_TIMEOUT_MS = 5000;

/**
 * Whether a URL fal handed back may receive the key: the configured base URL's origin, or
 * fal's own HTTPS domains (`*.fal.run`, `*.fal.ai`). Any other host gets no credentials.
 */
export function isFalApiUrl(url: string, baseUrl: string): boolean {
  return mayCarryCredentials(url, baseUrl, { domains: ['fal.run', 'fal.ai'] });
}

function authHeader(settings: FalSettings): Record<string, string> {
  return { authorization: `Key ${settings.apiKey}` };
}

async function submit(
  settings: FalSettings,
  model: string,
  body: Record<string, unknown>,
  call: ProviderCall,
): Promise<FalSubmission> {
  const send = () =>
    fetch(`${settings.baseUrl}/${falModelPath(model)}`, {
      method: 'POST',
      headers: {
        ...authHeader(settings),
        'content-type': 'application/json',
        accept: 'application/json',
      },
      body: JSON.stringify(body),
      signal: call.signal,
    });
  const answer = await fetchAnswer(send, call.signal, 'fal');
  if (answer.status < 200 || answer.status >= 300) throw classifyFalError(answer);
  return parseFalSubmission(answer.json);
}

function getFalUrl(settings: FalSettings, url: string, call: ProviderCall) {
  const headers = {
    accept: 'application/json',
    ...(isFalApiUrl(url, settings.baseUrl) ? authHeader(settings) : {}),
  };
  return fetchAnswer(
    () => call.fetchProviderUrl(url, { method: 'GET', headers }),
    call.signal,
    'fal',
  );
}

/** Polls `status_url` (202 while pending, 200 when done) until COMPLETED. */
function waitForCompletion(
  settings: FalSettings,
  submission: FalSubmission,
  call: ProviderCall,
): Promise<FalCompletion> {
  return pollUntil(
    async () => {
      const answer = await getFalUrl(settings, submission.status_url, call);
      if (answer.status !== 200 && answer.status !== 202) throw classifyFalError(answer);
      return fromFalStatus(answer.json);
    },
    { ...settings.poll, signal: call.signal },
  );
}

/** The result at `response_url`; a failed request answers its error there, with its status. */
async function fetchResult(
  settings: FalSettings,
  submission: FalSubmission,
  completion: FalCompletion,
  call: ProviderCall,
): Promise<ProviderImage[]> {
  // The job is done and paid for: a passing error reading its result is retried here, never by
  // submitting the job again.
  const answer = await pollUntil(
    async () => {
      const result = await getFalUrl(settings, submission.response_url, call);
      if (result.status < 200 || result.status >= 300) {
        throw classifyFalError(result, completion.errorType);
      }
      return { done: true as const, value: result };
    },
    { ...settings.poll, signal: call.signal },
  );
  if (completion.error !== undefined) {
    throw falStatusFailure(completion.error, completion.errorType);
  }
  return fromFalResult(answer.json);
}

/**
 * Best effort, fire and forget: asks fal to drop a request we no longer wait for, so that it is
 * not run (and paid) for nothing. The call's signal is usually aborted by now, so the request
 * gets its own short timeout. `ProviderCall.fetchProviderUrl` cannot send PUT, so only a
 * cancel URL on the configured base URL's origin (always the case with fal's queue) is sent,
 * directly like the submission.
 */
function cancel(settings: FalSettings, url: string | undefined, call: ProviderCall): void {
  if (!url || !hasOrigin(url, settings.baseUrl)) return;
  fetch(url, {
    method: 'PUT',
    headers: authHeader(settings),
    signal: AbortSignal.timeout(CANCEL_TIMEOUT_MS),
  })
    .then((response) => response.body?.cancel())
    .catch((error: unknown) => call.log.debug({ err: error }, 'fal: cancel request failed'));
}

/**
 * Runs one request through fal's queue and returns its images.
 *
 * @throws UpstreamFailure classified per fal's errors; the signal's reason when it aborts.
 */
export async function runFalRequest(
  settings: FalSettings,
  model: string,
  body: Record<string, unknown>,
  call: ProviderCall,
): Promise<ProviderImage[]> {
  const submission = await submit(settings, model, body, call);
  let completion: FalCompletion;
  try {
    completion = await waitForCompletion(settings, submission, call);
  } catch (error) {
    // Aborted, or the status endpoint kept failing: the request may still run upstream.
    cancel(settings, submission.cancel_url, call);
    throw error;
  }
  return fetchResult(settings, submission, completion, call);
}
