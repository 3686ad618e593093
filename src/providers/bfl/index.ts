import { UpstreamFailure } from '../errors.js';
import { defineProvider } from '../shared/define.js';
import { collectSuccesses } from '../shared/fan-out.js';
import type {
  EditInput,
  GenerateInput,
  ImageProvider,
  ProviderCall,
  ProviderResult,
} from '../types.js';
import { profileFor } from './models.js';
import type { PollTiming } from './polling.js';
import { DEFAULT_POLL_TIMING } from './polling.js';
import { toUpstreamBody } from './request.js';
import type { BflSettings } from './client.js';
import { runTask } from './client.js';

/**
 * BFL returns one image per task, so n images are n tasks submitted in parallel. The images
 * that succeeded are returned; when none did, the most significant failure is thrown (a bug,
 * not a classified failure, is not hidden behind an upstream failure).
 */
async function runAll(
  settings: BflSettings,
  timing: PollTiming,
  input: GenerateInput,
  images: readonly string[],
  call: ProviderCall,
): Promise<ProviderResult> {
  const profile = profileFor(input.model);
  const tasks = Array.from({ length: input.n }, (_, index) => {
    const { body, dropped } = toUpstreamBody(input, profile, { index, images });
    if (index === 0 && dropped.length > 0) {
      call.log.debug(
        { model: input.model, dropped },
        'bfl: options the model does not take were left out',
      );
    }
    return runTask(settings, input.model, body, call, timing);
  });
  const errors: unknown[] = [];
  const urls = await collectSuccesses(tasks, call.signal, (error) => errors.push(error));
  if (urls.length === 0) throw new UpstreamFailure('invalid_response', 'BFL returned no image');
  if (errors.length > 0) {
    call.log.warn(
      {
        model: input.model,
        failed: errors.length,
        kinds: errors.flatMap((e) => (e instanceof UpstreamFailure ? [e.kind] : [])),
      },
      'bfl: some of the parallel tasks failed',
    );
  }
  return { images: urls.map((url) => ({ url })) };
}

/**
 * The adapter for one BFL account. `timing` is for tests (short polling intervals).
 *
 * @example createBflProvider({ apiKey, baseUrl: 'https://api.bfl.ai' }).generate(input, call)
 */
export function createBflProvider(
  settings: BflSettings,
  timing: Partial<PollTiming> = {},
): ImageProvider {
  const pollTiming: PollTiming = { ...DEFAULT_POLL_TIMING, ...timing };
  return {
    generate: (input, call) => runAll(settings, pollTiming, input, [], call),
    edit: async (input: EditInput, call) => {
      const profile = profileFor(input.model);
      if (profile.maxInputImages === 0) {
        throw new UpstreamFailure('terminal', `BFL model ${input.model} takes no input images`);
      }
      if (input.images.length > profile.maxInputImages) {
        call.log.warn(
          { model: input.model, given: input.images.length, used: profile.maxInputImages },
          'bfl: more input images than the model takes; the first ones are used',
        );
      }
      // None of these models takes a mask (BFL's inpainting is a separate fill endpoint): the
      // prompt alone says what to change, with the input images as references.
      if (input.mask) call.log.debug({ model: input.model }, 'bfl: mask ignored');
      const images = input.images
        .slice(0, profile.maxInputImages)
        .map((image) => image.bytes.toString('base64'));
      return runAll(settings, pollTiming, input, images, call);
    },
  };
}

export const bflProvider = defineProvider({
  name: 'bfl',
  description: "Black Forest Labs' Flux API",
  env: {
    apiKey: { name: 'BFL_API_KEY', type: 'string', secret: true, description: 'API key' },
    baseUrl: {
      name: 'BFL_BASE_URL',
      type: 'url',
      default: 'https://api.bfl.ai',
      description: 'API base URL',
    },
  },
  requires: ['apiKey'],
  create: (settings) => createBflProvider(settings),
});
