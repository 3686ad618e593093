import { listGeminiModels } from './model-list.js';
import type {
  EditInput,
  GenerateInput,
  ImageProvider,
  ProviderCall,
  ProviderResult,
} from '../types.js';
import { UpstreamFailure } from '../errors.js';
import { defineProvider } from '../shared/define.js';
import { collectSuccesses } from '../shared/fan-out.js';
import { sumUsage } from '../shared/usage.js';
import { generateContent, type GeminiSettings } from './client.js';
import { toEditBody, toGenerateBody, type GenerateContentBody } from './request.js';

/**
 * Gemini makes one image per generateContent call, so `n` images are n parallel calls; the
 * images that succeeded are returned even when some calls failed. Every failed call is logged.
 */
async function generateMany(
  settings: GeminiSettings,
  input: GenerateInput,
  call: ProviderCall,
  body: (index: number) => GenerateContentBody,
): Promise<ProviderResult> {
  const calls = Array.from({ length: Math.max(1, input.n) }, (_, index) =>
    generateContent(settings, input.model, body(index), call),
  );
  const images = await collectSuccesses(calls, call.signal, (error, index) => {
    const kind = error instanceof UpstreamFailure ? error.kind : 'error';
    call.log.warn({ provider: 'gemini', model: input.model, index, kind }, 'gemini call failed');
  });
  return {
    images: images.map((image) => ({ bytes: image.bytes })),
    usage: sumUsage(images.map((image) => image.usage)),
  };
}

/** The adapter for one Gemini account. */
export function createGeminiProvider(settings: GeminiSettings): ImageProvider {
  return {
    generate: (input, call) => generateMany(settings, input, call, (i) => toGenerateBody(input, i)),
    edit: (input: EditInput, call) =>
      generateMany(settings, input, call, (i) => toEditBody(input, i)),
    listModels: (signal) => listGeminiModels(settings, signal),
  };
}

/**
 * Google Gemini image models ("Nano Banana": gemini-2.5-flash-image, gemini-3.1-flash-image,
 * gemini-3-pro-image) through generateContent.
 *
 * Route options read: `responseModalities` (default `["TEXT","IMAGE"]`), `aspectRatio` and
 * `imageSize` (override the values mapped from the requested size).
 */
export const geminiProvider = defineProvider({
  name: 'gemini',
  description: 'Google Gemini image models through generateContent',
  env: {
    apiKey: { name: 'GEMINI_API_KEY', type: 'string', secret: true, description: 'API key' },
    baseUrl: {
      name: 'GEMINI_BASE_URL',
      type: 'url',
      default: 'https://generativelanguage.googleapis.com',
      description: 'API base URL',
    },
  },
  requires: ['apiKey'],
  create: createGeminiProvider,
});
