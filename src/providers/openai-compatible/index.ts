import { createOpenAIImagesClient } from '../openai/client.js';
import { defineProvider } from '../shared/define.js';
import type { ImageProvider } from '../types.js';
import { toCompatibleEditFields, toCompatibleGenerationBody } from './request.js';

/**
 * Any server that speaks OpenAI's Images API. It may answer `url` rather than `b64_json`, and
 * it does not stream. One image per input as `image`, several as `image[]`: older servers,
 * modelled on DALL·E 2's edits, read only `image` (unsure which newer ones take both).
 */
export function createOpenAICompatibleProvider(settings: {
  baseUrl: string;
  apiKey: string | undefined;
}): ImageProvider {
  const { baseUrl, apiKey } = settings;
  const client = createOpenAIImagesClient({
    provider: 'openai-compatible',
    baseUrl,
    apiKey,
    generationBody: toCompatibleGenerationBody,
    editFields: toCompatibleEditFields,
    imageField: (count) => (count > 1 ? 'image[]' : 'image'),
    batches: (input) => [input.n],
    streams: () => false,
  });
  return { generate: client.generate, edit: client.edit };
}

export const openaiCompatibleProvider = defineProvider({
  name: 'openai-compatible',
  description: "a self-hosted server that speaks OpenAI's Images API",
  env: {
    baseUrl: {
      name: 'OPENAI_COMPATIBLE_BASE_URL',
      type: 'url',
      description: 'API base URL, e.g. http://127.0.0.1:7860/v1',
    },
    apiKey: {
      name: 'OPENAI_COMPATIBLE_API_KEY',
      type: 'string',
      secret: true,
      description: 'API key, when the server wants one',
    },
  },
  requires: ['baseUrl'],
  create: createOpenAICompatibleProvider,
  // A self-hosted server often lives on a private address and serves its outputs from there.
  trustedHosts: ({ baseUrl }) => [new URL(baseUrl).host],
});
