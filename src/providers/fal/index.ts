import type { Config } from '../../config.js';
import { editImageUrls } from '../shared/edit-urls.js';
import type {
  EditInput,
  GenerateInput,
  ImageProvider,
  ProviderCall,
  ProviderDefinition,
} from '../types.js';
import { runFalRequest } from './queue.js';
import type { FalSettings } from './queue.js';
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

function settingsOf(config: Config): FalSettings {
  const { apiKey, baseUrl } = config.providers.fal;
  if (!apiKey) throw new Error('fal is not configured: FAL_KEY is not set');
  return { apiKey, baseUrl };
}

/** fal.ai's queue API, enabled by `FAL_KEY` (`FAL_BASE_URL` overrides the queue URL). */
export const falProvider: ProviderDefinition = {
  name: 'fal',
  takesInputsByUrl: true,
  requires: 'FAL_KEY',
  isConfigured: (config) => Boolean(config.providers.fal.apiKey),
  create: (config) => createFalProvider(settingsOf(config)),
};
