import type { ProviderSettings } from '../../config.js';
import { createOpenAIImagesClient } from '../openai/images-client.js';
import { listOpenAIModels } from '../openai/model-list.js';
import type { ImageProvider, ProviderDefinition } from '../types.js';
import { toXaiEditBody, toXaiGenerationBody } from './request.js';

/**
 * xAI's Images API (`grok-imagine-image`) through OpenAI's adapter: the same Bearer auth,
 * paths, answers and errors; only the request bodies differ (request.ts). It does not stream.
 */
export function createXaiProvider(settings: ProviderSettings): ImageProvider {
  const target = { provider: 'xai', baseUrl: settings.baseUrl, apiKey: settings.apiKey };
  const client = createOpenAIImagesClient({
    ...target,
    generationBody: toXaiGenerationBody,
    editFields: toXaiGenerationBody,
    editJsonBody: toXaiEditBody,
    imageField: () => 'image',
    batches: (input) => [input.n],
    streams: () => false,
  });
  return {
    generate: client.generate,
    edit: client.edit,
    listModels: (signal) => listOpenAIModels(target, signal),
  };
}

/** xAI (`XAI_API_KEY`, optional `XAI_BASE_URL`). */
export const xaiProvider: ProviderDefinition = {
  name: 'xai',
  requires: 'XAI_API_KEY',
  isConfigured: (config) => Boolean(config.providers.xai.apiKey),
  create: (config) => createXaiProvider(config.providers.xai),
};
