import type { Config } from '../../config.js';
import { createOpenAIImagesClient } from '../openai/images-client.js';
import type { ImageProvider, ProviderDefinition } from '../types.js';
import { toCompatibleEditFields, toCompatibleGenerationBody } from './request.js';

/**
 * Any server that speaks OpenAI's Images API. It may answer `url` rather than `b64_json`, and
 * it does not stream. One image per input as `image`, several as `image[]`: older servers,
 * modelled on DALL·E 2's edits, read only `image` (unsure which newer ones take both).
 */
export function createOpenAICompatibleProvider(
  settings: Config['providers']['openaiCompatible'],
): ImageProvider {
  const { baseUrl, apiKey } = settings;
  if (!baseUrl) throw new Error('OPENAI_COMPATIBLE_BASE_URL is not set');
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

/** A self-hosted OpenAI-compatible server (`OPENAI_COMPATIBLE_BASE_URL`, optional key). */
export const openaiCompatibleProvider: ProviderDefinition = {
  name: 'openai-compatible',
  requires: 'OPENAI_COMPATIBLE_BASE_URL',
  isConfigured: (config) => config.providers.openaiCompatible.baseUrl !== undefined,
  create: (config) => createOpenAICompatibleProvider(config.providers.openaiCompatible),
  // A self-hosted server often lives on a private address and serves its outputs from there.
  trustedHosts: (config) => {
    const base = config.providers.openaiCompatible.baseUrl;
    return base ? [new URL(base).host] : [];
  },
};
