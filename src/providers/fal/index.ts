import { defineProvider } from '../shared/define.js';
import { editImageUrls } from '../shared/edit-urls.js';
import type { EditInput, GenerateInput, ImageProvider, ProviderCall } from '../types.js';
import { runFalRequest } from './client.js';
import type { FalSettings } from './client.js';
import { toFalInput } from './request.js';

/**
 * fal.ai through its queue (`https://queue.fal.run`): one request per call with `num_images: n`,
 * polled until done. Edits pass Pixapi's short-lived public URLs of the input images.
 */
export function createFalProvider(settings: FalSettings): ImageProvider {
  return {
    async generate(input: GenerateInput, call: ProviderCall) {
      const images = await runFalRequest(settings, input.model, toFalInput(input), call);
      return { images };
    },
    async edit(input: EditInput, call: ProviderCall) {
      const body = toFalInput(input, await editImageUrls(input));
      return { images: await runFalRequest(settings, input.model, body, call) };
    },
  };
}

export const falProvider = defineProvider({
  name: 'fal',
  description: "fal.ai's queue API",
  env: {
    apiKey: { name: 'FAL_KEY', type: 'string', secret: true, description: 'API key' },
    baseUrl: {
      name: 'FAL_BASE_URL',
      type: 'url',
      default: 'https://queue.fal.run',
      description: 'queue API base URL',
    },
  },
  requires: ['apiKey'],
  takesInputsByUrl: true,
  create: createFalProvider,
});
