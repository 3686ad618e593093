import { fetch } from 'undici';
import { readAnswer } from '../shared/http.js';
import type { HttpAnswer, UpstreamAnswer } from '../shared/http.js';
import { mayCarryCredentials } from '../shared/trusted-urls.js';
import type { ProviderCall } from '../types.js';
import { bflNetworkFailure, fromUpstreamHttpFailure } from './errors.js';
import type { PollTiming } from './polling.js';
import { pollForSample } from './polling.js';
import { fromUpstreamSubmit } from './response.js';

export interface BflSettings {
  apiKey: string;
  /** The operator's base URL, without a trailing slash. */
  baseUrl: string;
}

/**
 * Whether `x-key` may go with a request to `url`: only to the configured base URL's origin or
 * to BFL's own domain over HTTPS (regional hosts such as `api.eu.bfl.ai`). Polling URLs come
 * from the provider's answer, so an arbitrary host must never receive the key.
 */
export function keyAllowedFor(url: string, baseUrl: string): boolean {
  return mayCarryCredentials(url, baseUrl, { domains: ['bfl.ai'] });
}

async function submit(
  settings: BflSettings,
  model: string,
  body: Record<string, unknown>,
  call: ProviderCall,
) {
  let answer: UpstreamAnswer;
  try {
    const res = await fetch(`${settings.baseUrl}/v1/${encodeURIComponent(model)}`, {
      method: 'POST',
      headers: {
        'x-key': settings.apiKey,
        'content-type': 'application/json',
        accept: 'application/json',
      },
      body: JSON.stringify(body),
      signal: call.signal,
      // A redirect could carry x-key to another host: treat it as an invalid answer instead.
      redirect: 'manual',
    });
    answer = await readAnswer(res);
  } catch (error) {
    throw bflNetworkFailure(error, call.signal);
  }
  const { status, headers, text } = answer;
  if (status < 200 || status > 299) throw fromUpstreamHttpFailure(status, headers, text);
  return fromUpstreamSubmit(text);
}

/**
 * One BFL task: submit, poll, and return the signed URL of its single image. Pixapi downloads
 * that URL at once (it expires after ~10 minutes).
 */
export async function runTask(
  settings: BflSettings,
  model: string,
  body: Record<string, unknown>,
  call: ProviderCall,
  timing: PollTiming,
): Promise<string> {
  const task = await submit(settings, model, body, call);
  let get: () => Promise<HttpAnswer>;
  if (task.pollingUrl === undefined) {
    // Older answers carried only the id: poll the operator's base URL, a URL we chose ourselves.
    const url = `${settings.baseUrl}/v1/get_result?id=${encodeURIComponent(task.id)}`;
    get = () =>
      fetch(url, {
        headers: { 'x-key': settings.apiKey, accept: 'application/json' },
        signal: call.signal,
        redirect: 'manual',
      });
  } else {
    const url = task.pollingUrl;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (keyAllowedFor(url, settings.baseUrl)) headers['x-key'] = settings.apiKey;
    get = () => call.fetchProviderUrl(url, { method: 'GET', headers });
  }
  return pollForSample(get, call.signal, timing);
}
