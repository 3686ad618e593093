import { fetch } from 'undici';
import { ProviderFailure } from '../errors.js';
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

/** Fails with the signal's own reason when the client's deadline passed, never classifying it. */
function networkFailure(error: unknown, call: ProviderCall, what: string): never {
  if (call.signal.aborted) throw call.signal.reason;
  throw new ProviderFailure('retryable', `Gemini ${what}: network error`, { cause: error });
}

/**
 * One generateContent call, which makes one image. Success is the image; every failure is a
 * ProviderFailure, except an aborted signal, whose reason propagates.
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
    });
  } catch (error) {
    networkFailure(error, call, 'request failed');
  }
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    networkFailure(error, call, 'answer was cut off');
  }
  // Google's DebugInfo can echo the key it refused; it must not reach messages or logs.
  if (settings.apiKey) text = text.replaceAll(settings.apiKey, '[redacted]');
  call.log.debug({ provider: 'gemini', model, status: response.status }, 'gemini answered');
  if (!response.ok) throw classifyHttpError(response.status, response.headers, text);
  return fromGenerateContentResponse(text);
}
