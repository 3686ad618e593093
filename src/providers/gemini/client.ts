import { fetch } from 'undici';
import { networkFailure } from '../shared/network-failure.js';
import type { ProviderCall } from '../types.js';
import { classifyHttpError } from './errors.js';
import type { GenerateContentBody } from './request.js';
import { fromGenerateContentResponse, type GeminiImage } from './response.js';

export interface GeminiSettings {
  apiKey: string;
  /** Without a trailing slash, e.g. https://generativelanguage.googleapis.com */
  baseUrl: string;
}

/** `{base}/v1beta/models/{model}:generateContent`; a `models/` prefix on the id is tolerated. */
export function generateContentUrl(baseUrl: string, model: string): string {
  const id = model.replace(/^models\//, '');
  return `${baseUrl}/v1beta/models/${encodeURIComponent(id)}:generateContent`;
}

/**
 * One generateContent call, which makes one image. Success is the image; every failure is a
 * UpstreamFailure, except an aborted signal, whose reason propagates.
 */
export async function generateContent(
  settings: GeminiSettings,
  model: string,
  body: GenerateContentBody,
  call: ProviderCall,
): Promise<GeminiImage> {
  let response;
  try {
    response = await fetch(generateContentUrl(settings.baseUrl, model), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-goog-api-key': settings.apiKey },
      body: JSON.stringify(body),
      signal: call.signal,
      // Fetch drops Authorization on a cross-origin redirect, but not this key header.
      redirect: 'manual',
    });
  } catch (error) {
    throw networkFailure(error, call.signal, 'Gemini request failed: network error');
  }
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    throw networkFailure(error, call.signal, 'Gemini answer was cut off: network error');
  }
  // Google's DebugInfo can echo the key it refused; it must not reach messages or logs.
  if (settings.apiKey) text = text.replaceAll(settings.apiKey, '[redacted]');
  call.log.debug({ provider: 'gemini', model, status: response.status }, 'gemini answered');
  if (!response.ok) throw classifyHttpError(response.status, response.headers, text);
  return fromGenerateContentResponse(text);
}
