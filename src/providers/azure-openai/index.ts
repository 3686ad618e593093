import type { Config } from '../../config.js';
import { createOpenAIImagesClient } from '../openai/images-client.js';
import { toOpenAIEditFields, toOpenAIGenerationBody, type WireFields } from '../openai/request.js';
import type { EditInput, GenerateInput, ImageProvider, ProviderDefinition } from '../types.js';

/**
 * Azure OpenAI image deployments through OpenAI's adapter: the route's model is the deployment
 * name, in the path `/openai/deployments/{deployment}/images/{operation}?api-version=...`; the
 * key goes in `api-key`. Refusals by Azure's content filters (`contentFilter`) are safety
 * refusals (openai/errors.ts). Azure writes PNG and JPEG only: WebP is asked as PNG and Pixapi
 * converts the output (as it does for every provider's format). The request fields follow the
 * model family read from the deployment name, so name deployments after their model
 * (`gpt-image-1`, ...), as Azure's portal suggests.
 */

/** WebP asked as PNG (lossless), without the compression that PNG refuses. */
function withoutWebp(fields: WireFields): WireFields {
  if (fields.output_format !== 'webp') return fields;
  const rest: WireFields = { ...fields, output_format: 'png' };
  delete rest.output_compression;
  return rest;
}

export function createAzureOpenAIProvider(
  settings: Config['providers']['azureOpenai'],
): ImageProvider {
  const { endpoint, apiKey, apiVersion } = settings;
  if (!endpoint || !apiKey)
    throw new Error('Azure OpenAI needs AZURE_OPENAI_ENDPOINT and _API_KEY');
  const client = createOpenAIImagesClient({
    provider: 'azure-openai',
    baseUrl: endpoint,
    apiKey,
    authHeaders: { 'api-key': apiKey },
    path: (operation, deployment) =>
      `/openai/deployments/${encodeURIComponent(deployment)}/images/${operation}` +
      `?api-version=${encodeURIComponent(apiVersion)}`,
    generationBody: (input: GenerateInput) => withoutWebp(toOpenAIGenerationBody(input)),
    editFields: (input: EditInput) => withoutWebp(toOpenAIEditFields(input)),
    imageField: () => 'image[]',
    batches: (input) => [input.n],
    // Deployments are named by the operator: streaming is assumed off (unsure per region).
    streams: () => false,
  });
  return { generate: client.generate, edit: client.edit };
}

/** Azure OpenAI (`AZURE_OPENAI_ENDPOINT` and `AZURE_OPENAI_API_KEY`). */
export const azureOpenAIProvider: ProviderDefinition = {
  name: 'azure-openai',
  requires: 'AZURE_OPENAI_ENDPOINT and AZURE_OPENAI_API_KEY',
  isConfigured: (config) =>
    Boolean(config.providers.azureOpenai.endpoint && config.providers.azureOpenai.apiKey),
  create: (config) => createAzureOpenAIProvider(config.providers.azureOpenai),
};
