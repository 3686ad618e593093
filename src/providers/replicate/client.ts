import { fetch } from 'undici';
import { UpstreamFailure } from '../errors.js';
import { fetchAnswer } from '../shared/http.js';
import { pollUntil } from '../shared/polling.js';
import type { PollBackoff } from '../../backoff.js';
import { hasOrigin, mayCarryCredentials } from '../shared/trusted-urls.js';
import type { ProviderCall, ProviderImage } from '../types.js';
import { classifyReplicateError } from './errors.js';
import { predictionsPath } from './request.js';
import type { ReplicateTarget } from './request.js';
import { parsePrediction, predictionOutcome } from './response.js';
import type { Prediction, PredictionOutcome } from './response.js';

/**
 * Replicate's predictions over HTTP: create one on the configured base URL (waiting up to
 * `Prefer: wait` seconds for it to finish), then poll the `urls.get` it hands back.
 */

export interface ReplicateSettings {
  apiToken: string;
  /** Without a trailing slash (config.ts trims it). */
  baseUrl: string;
  /**
   * Seconds the creation request may wait for the output (`Prefer: wait=N`, 1–60). An
   * AbortSignal does not tell its deadline, so the maximum is used: the signal still ends the
   * wait early.
   */
  preferWaitSeconds?: number;
  /** Polling backoff; the default (250 ms doubling to 2 s) suits Replicate. */
  poll?: PollBackoff;
}

const REPLICATE_API_ORIGIN = 'https://api.replicate.com';
const CANCEL_TIMEOUT_MS = 5000;

/** Whether a URL Replicate handed back may receive the token. */
export function isReplicateApiUrl(url: string, baseUrl: string): boolean {
  return mayCarryCredentials(url, baseUrl, { origins: [REPLICATE_API_ORIGIN] });
}

function authHeader(settings: ReplicateSettings): Record<string, string> {
  return { authorization: `Bearer ${settings.apiToken}` };
}

function preferWait(settings: ReplicateSettings): string {
  const seconds = Math.round(settings.preferWaitSeconds ?? 60);
  return `wait=${Math.min(60, Math.max(1, seconds))}`;
}

async function create(
  settings: ReplicateSettings,
  target: ReplicateTarget,
  input: Record<string, unknown>,
  call: ProviderCall,
): Promise<Prediction> {
  const body = target.kind === 'version' ? { version: target.version, input } : { input };
  const send = () =>
    fetch(`${settings.baseUrl}${predictionsPath(target)}`, {
      method: 'POST',
      headers: {
        ...authHeader(settings),
        'content-type': 'application/json',
        accept: 'application/json',
        prefer: preferWait(settings),
      },
      body: JSON.stringify(body),
      signal: call.signal,
    });
  const answer = await fetchAnswer(send, call.signal, 'replicate');
  if (answer.status < 200 || answer.status >= 300) throw classifyReplicateError(answer);
  return parsePrediction(answer.json);
}

async function get(settings: ReplicateSettings, url: string, call: ProviderCall) {
  const headers = {
    accept: 'application/json',
    ...(isReplicateApiUrl(url, settings.baseUrl) ? authHeader(settings) : {}),
  };
  const answer = await fetchAnswer(
    () => call.fetchProviderUrl(url, { method: 'GET', headers }),
    call.signal,
    'replicate',
  );
  if (answer.status < 200 || answer.status >= 300) throw classifyReplicateError(answer);
  return parsePrediction(answer.json);
}

/**
 * Best effort, fire and forget: cancels a prediction we no longer wait for, so that it does not
 * run (and bill) for nothing. The call's signal is usually aborted by now, so a cancel URL on
 * the configured base URL's origin (always the case with Replicate) is sent directly with its
 * own short timeout; another host goes through the guarded client.
 */
function cancel(settings: ReplicateSettings, url: string | undefined, call: ProviderCall): void {
  if (!url) return;
  const ignore = (error: unknown) => call.log.debug({ err: error }, 'replicate: cancel failed');
  if (hasOrigin(url, settings.baseUrl)) {
    fetch(url, {
      method: 'POST',
      headers: authHeader(settings),
      signal: AbortSignal.timeout(CANCEL_TIMEOUT_MS),
    })
      .then((response) => response.body?.cancel())
      .catch(ignore);
    return;
  }
  const headers = isReplicateApiUrl(url, settings.baseUrl) ? authHeader(settings) : {};
  call
    .fetchProviderUrl(url, { method: 'POST', headers })
    .then((response) => response.body?.cancel())
    .catch(ignore);
}

function settle(outcome: PredictionOutcome): ProviderImage[] {
  if (outcome.state === 'succeeded') return outcome.images;
  if (outcome.state === 'failed') throw outcome.failure;
  throw new Error('unreachable: a pending prediction has no images');
}

/**
 * Runs one prediction to its end and returns its images.
 *
 * @throws UpstreamFailure classified per Replicate's errors; the signal's reason when it aborts.
 */
export async function runPrediction(
  settings: ReplicateSettings,
  target: ReplicateTarget,
  input: Record<string, unknown>,
  call: ProviderCall,
): Promise<ProviderImage[]> {
  const created = await create(settings, target, input, call);
  const first = predictionOutcome(created);
  if (first.state !== 'pending') return settle(first);
  const getUrl = created.getUrl;
  if (!getUrl) {
    throw new UpstreamFailure('invalid_response', 'replicate: pending prediction without urls.get');
  }
  let outcome: PredictionOutcome;
  try {
    outcome = await pollUntil<PredictionOutcome>(
      async () => {
        const current = predictionOutcome(await get(settings, getUrl, call));
        return current.state === 'pending' ? { done: false } : { done: true, value: current };
      },
      { ...settings.poll, signal: call.signal },
    );
  } catch (error) {
    // Aborted, or the prediction URL kept failing: the prediction may still run upstream.
    cancel(settings, created.cancelUrl, call);
    throw error;
  }
  return settle(outcome);
}
