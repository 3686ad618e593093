import type { Config } from '../../config.js';
import { editImageUrls } from '../shared/edit-urls.js';
import type { EditImageUrls } from '../shared/edit-urls.js';
import type {
  EditInput,
  GenerateInput,
  ImageProvider,
  ProviderCall,
  ProviderDefinition,
  ProviderResult,
} from '../types.js';
import { combineResults } from './combine.js';
import { runPrediction } from './predictions.js';
import type { ReplicateSettings } from './predictions.js';
import { parseReplicateModel, splitOutputs, toReplicateInput } from './request.js';

/**
 * Replicate's HTTP API: one prediction with `num_outputs: n` (or several in parallel when the
 * route caps `max_outputs`), created with `Prefer: wait` and polled when not done by then.
 */
export function createReplicateProvider(settings: ReplicateSettings): ImageProvider {
  async function run(
    input: GenerateInput,
    urls: EditImageUrls | undefined,
    call: ProviderCall,
  ): Promise<ProviderResult> {
    const target = parseReplicateModel(input.model);
    const counts = splitOutputs(input.n, input.options.max_outputs);
    const offsets = counts.map((_, i) => counts.slice(0, i).reduce((a, b) => a + b, 0));
    const results = await Promise.allSettled(
      counts.map((count, i) =>
        runPrediction(
          settings,
          target,
          toReplicateInput(input, { count, offset: offsets[i] ?? 0 }, urls),
          call,
        ),
      ),
    );
    return combineResults(results, call.signal);
  }

  return {
    generate: (input, call) => run(input, undefined, call),
    async edit(input: EditInput, call: ProviderCall) {
      return run(input, await editImageUrls(input), call);
    },
  };
}

function settingsOf(config: Config): ReplicateSettings {
  const { apiKey, baseUrl } = config.providers.replicate;
  if (!apiKey) throw new Error('replicate is not configured: REPLICATE_API_TOKEN is not set');
  return { apiToken: apiKey, baseUrl };
}

/** Replicate, enabled by `REPLICATE_API_TOKEN` (`REPLICATE_BASE_URL` overrides the API URL). */
export const replicateProvider: ProviderDefinition = {
  name: 'replicate',
  takesInputsByUrl: true,
  requires: 'REPLICATE_API_TOKEN',
  isConfigured: (config) => Boolean(config.providers.replicate.apiKey),
  create: (config) => createReplicateProvider(settingsOf(config)),
};
