import { createOpenAIImagesClient } from '../openai/client.js';
import { toOpenAIEditFields, toOpenAIGenerationBody, type WireFields } from '../openai/request.js';
import { defineProvider } from '../shared/define.js';
import type { EditInput, GenerateInput, ImageProvider } from '../types.js';

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

export function createAzureOpenAIProvider(settings: {
  endpoint: string;
  apiKey: string;
  apiVersion: string;
}): ImageProvider {
  const { endpoint, apiKey, apiVersion } = settings;
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

export const azureOpenAIProvider = defineProvider({
  name: 'azure-openai',
  description: 'Azure OpenAI image deployments (catalog routes name the deployment)',
  env: {
    endpoint: {
      name: 'AZURE_OPENAI_ENDPOINT',
      type: 'url',
      description: 'resource endpoint, e.g. https://NAME.openai.azure.com',
    },
    apiKey: { name: 'AZURE_OPENAI_API_KEY', type: 'string', secret: true, description: 'API key' },
    apiVersion: {
      name: 'AZURE_OPENAI_API_VERSION',
      type: 'string',
      default: '2025-04-01-preview',
      description: 'the api-version query parameter',
    },
  },
  requires: ['endpoint', 'apiKey'],
  create: createAzureOpenAIProvider,
});
