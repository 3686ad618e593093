import type { ProviderSettings } from '../../config.js';
import { createOpenAIImagesClient } from '../openai/client.js';
import { listOpenAIModels } from '../openai/model-list.js';
import { defineProvider } from '../shared/define.js';
import type { ImageProvider } from '../types.js';
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

export const xaiProvider = defineProvider({
  name: 'xai',
  description: "xAI's Images API (grok-imagine-image)",
  env: {
    apiKey: { name: 'XAI_API_KEY', type: 'string', secret: true, description: 'API key' },
    baseUrl: {
      name: 'XAI_BASE_URL',
      type: 'url',
      default: 'https://api.x.ai/v1',
      description: 'API base URL',
    },
  },
  requires: ['apiKey'],
  create: createXaiProvider,
});
