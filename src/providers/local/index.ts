import { setTimeout as sleep } from 'node:timers/promises';
import type {
  EditInput,
  GenerateInput,
  ImageProvider,
  ProviderCall,
  ProviderResult,
} from '../types.js';
import { defineProvider } from '../shared/define.js';
import { localPixelBudget } from './pixel-budget.js';
import { localRenderCache } from './render-cache.js';
import { renderPlaceholder } from './render.js';

function createLocalProvider(delayMs: number): ImageProvider {
  async function render(
    input: GenerateInput,
    inputs: readonly Buffer[] | undefined,
    call: ProviderCall,
  ) {
    const images = [];
    for (let i = 0; i < input.n; i++) {
      if (delayMs > 0) await sleep(delayMs, undefined, { signal: call.signal });
      call.signal.throwIfAborted();
      const spec = {
        prompt: input.prompt,
        // Each of the n images differs, and image i is the same whatever n was asked.
        seed: (input.seed ?? 0) + i,
        width: input.size.width,
        height: input.size.height,
        format: input.outputFormat,
        transparent: input.background === 'transparent',
        compression: input.outputCompression,
        inputs,
      };
      const key = localRenderCache.key(spec);
      const cached = key === undefined ? undefined : localRenderCache.get(key);
      if (cached) {
        images.push({ bytes: cached });
        continue;
      }
      const release = await localPixelBudget.acquire(
        input.size.width * input.size.height,
        call.signal,
      );
      const bytes = await renderPlaceholder(spec).finally(release);
      if (key !== undefined) localRenderCache.set(key, bytes);
      images.push({ bytes });
    }
    return { images } satisfies ProviderResult;
  }
  return {
    generate: (input, call) => render(input, undefined, call),
    edit: (input: EditInput, call) =>
      render(
        input,
        input.images.map((image) => image.bytes),
        call,
      ),
  };
}

/** The built-in placeholder renderer: always available, needs no network and no key. */
export const localProvider = defineProvider({
  name: 'local',
  description: 'the built-in placeholder renderer (no network, no key)',
  env: {
    delayMs: {
      name: 'PIXAPI_LOCAL_DELAY_MS',
      type: 'int',
      default: 0,
      min: 0,
      max: 600_000,
      description: 'wait this long per image (simulates latency)',
    },
  },
  requires: [],
  create: ({ delayMs }) => createLocalProvider(delayMs),
});
