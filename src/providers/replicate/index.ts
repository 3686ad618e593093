import { defineProvider } from '../shared/define.js';
import { editImageUrls } from '../shared/edit-urls.js';
import type { EditImageUrls } from '../shared/edit-urls.js';
import type {
  EditInput,
  GenerateInput,
  ImageProvider,
  ProviderCall,
  ProviderResult,
} from '../types.js';
import { combineResults } from './combine.js';
import { runPrediction } from './client.js';
import type { ReplicateSettings } from './client.js';
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

export const replicateProvider = defineProvider({
  name: 'replicate',
  description: "Replicate's predictions API",
  env: {
    apiToken: {
      name: 'REPLICATE_API_TOKEN',
      type: 'string',
      secret: true,
      description: 'API token',
    },
    baseUrl: {
      name: 'REPLICATE_BASE_URL',
      type: 'url',
      default: 'https://api.replicate.com',
      description: 'API base URL',
    },
  },
  requires: ['apiToken'],
  takesInputsByUrl: true,
  create: createReplicateProvider,
});
