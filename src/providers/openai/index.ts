import type { ProviderSettings } from '../../config.js';
import { defineProvider } from '../shared/define.js';
import type { ImageProvider } from '../types.js';
import { createOpenAIImagesClient } from './client.js';
import { listOpenAIModels } from './model-list.js';
import { isDallE3, isGptImageModel } from './models.js';
import { toOpenAIEditFields, toOpenAIGenerationBody } from './request.js';

/**
 * OpenAI's Images API: generations (JSON), edits (multipart with repeated `image[]` parts) and
 * SSE streaming of partial images for GPT image models. DALL·E 3 makes one image per call, so
 * n images are n parallel calls.
 */
export function createOpenAIProvider(settings: ProviderSettings): ImageProvider {
  const target = { provider: 'openai', baseUrl: settings.baseUrl, apiKey: settings.apiKey };
  const images = createOpenAIImagesClient({
    ...target,
    generationBody: toOpenAIGenerationBody,
    editFields: toOpenAIEditFields,
    imageField: () => 'image[]',
    batches: (input) =>
      isDallE3(input.model) ? Array.from({ length: input.n }, () => 1) : [input.n],
    streams: isGptImageModel,
  });
  return { ...images, listModels: (signal) => listOpenAIModels(target, signal) };
}

export const openaiProvider = defineProvider({
  name: 'openai',
  description:
    "OpenAI's Images API (gpt-image, DALL·E); its key also serves PIXAPI_MODERATION=openai",
  env: {
    apiKey: { name: 'OPENAI_API_KEY', type: 'string', secret: true, description: 'API key' },
    baseUrl: {
      name: 'OPENAI_BASE_URL',
      type: 'url',
      default: 'https://api.openai.com/v1',
      description: 'API base URL',
    },
  },
  requires: ['apiKey'],
  create: createOpenAIProvider,
});
