import { fetch } from 'undici';
import { z } from 'zod';
import { UpstreamFailure } from '../errors.js';
import { networkFailure } from '../shared/network-failure.js';
import type { UpstreamModel } from '../types.js';
import type { GeminiSettings } from './client.js';
import { classifyHttpError } from './errors.js';

const pageSchema = z.object({
  models: z.array(z.object({ name: z.string() }).loose()).default([]),
  nextPageToken: z.string().optional(),
});

// Enough for any real list; a provider that keeps paging is a bug, not a longer list.
const MAX_PAGES = 20;

/**
 * `models.list` (`GET {base}/v1beta/models`, paginated by `nextPageToken`): the ids the key may
 * use, without their `models/` prefix. Google publishes no shutdown dates here.
 */
export async function listGeminiModels(
  settings: GeminiSettings,
  signal: AbortSignal,
): Promise<UpstreamModel[]> {
  const models: UpstreamModel[] = [];
  let token: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const url = new URL(`${settings.baseUrl}/v1beta/models`);
    url.searchParams.set('pageSize', '1000');
    if (token) url.searchParams.set('pageToken', token);
    let status: number;
    let text: string;
    let headers: Headers;
    try {
      const response = await fetch(url, {
        headers: { 'x-goog-api-key': settings.apiKey },
        signal,
        redirect: 'manual',
      });
      status = response.status;
      headers = response.headers as unknown as Headers;
      text = (await response.text()).replaceAll(settings.apiKey, '[redacted]');
    } catch (error) {
      throw networkFailure(error, signal, 'Gemini model list: network error');
    }
    if (status < 200 || status >= 300) throw classifyHttpError(status, headers, text);
    let parsed;
    try {
      parsed = pageSchema.safeParse(JSON.parse(text));
    } catch {
      parsed = undefined;
    }
    if (!parsed?.success) {
      throw new UpstreamFailure('invalid_response', 'Gemini model list is not a list');
    }
    models.push(...parsed.data.models.map((m) => ({ id: m.name.replace(/^models\//, '') })));
    token = parsed.data.nextPageToken;
    if (!token) return models;
  }
  throw new UpstreamFailure('invalid_response', 'Gemini model list did not end');
}
