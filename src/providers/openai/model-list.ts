import { fetch } from 'undici';
import { z } from 'zod';
import { UpstreamFailure } from '../errors.js';
import { networkFailure } from '../shared/network-failure.js';
import type { UpstreamModel } from '../types.js';
import { classifyOpenAIHttpError } from './errors.js';
import type { WireTarget } from './wire.js';

// OpenAI's `Model` object; `shutdown_date` is optional: YYYY-MM-DD, or null when none is set.
const listSchema = z.object({
  data: z.array(z.object({ id: z.string(), shutdown_date: z.string().nullish() }).loose()),
});

/**
 * `GET {base}/models`: the ids the key may use, with their announced shutdown dates.
 *
 * @example
 * await listOpenAIModels({ provider: 'openai', baseUrl, apiKey }, signal)
 * // [{ id: 'gpt-image-1.5', shutdownDate: '2026-12-01' }, { id: 'gpt-image-2' }, ...]
 */
export async function listOpenAIModels(
  target: WireTarget,
  signal: AbortSignal,
): Promise<UpstreamModel[]> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (target.apiKey) headers.authorization = `Bearer ${target.apiKey}`;
  let status: number;
  let text: string;
  let responseHeaders: Headers;
  try {
    const response = await fetch(`${target.baseUrl}/models`, { headers, signal });
    status = response.status;
    responseHeaders = response.headers;
    text = await response.text();
  } catch (error) {
    throw networkFailure(error, signal, `${target.provider} model list: network error`);
  }
  if (status < 200 || status >= 300) {
    throw classifyOpenAIHttpError(target.provider, status, responseHeaders, text);
  }
  let parsed;
  try {
    parsed = listSchema.safeParse(JSON.parse(text));
  } catch {
    parsed = undefined;
  }
  if (!parsed?.success) {
    throw new UpstreamFailure('invalid_response', `${target.provider} model list is not a list`);
  }
  return parsed.data.data.map((m) => ({
    id: m.id,
    ...(m.shutdown_date ? { shutdownDate: m.shutdown_date } : {}),
  }));
}
