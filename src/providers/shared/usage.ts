import type { ImagesUsage } from '../types.js';

/**
 * The usage of several calls added up (n parallel calls for n images); undefined when no call
 * reported any.
 *
 * @example
 * sumUsage([usage, undefined, usage]); // every count doubled
 */
export function sumUsage(usages: ReadonlyArray<ImagesUsage | undefined>): ImagesUsage | undefined {
  const present = usages.filter((u): u is ImagesUsage => u !== undefined);
  if (present.length === 0) return undefined;
  return present.reduce((a, b) => ({
    input_tokens: a.input_tokens + b.input_tokens,
    output_tokens: a.output_tokens + b.output_tokens,
    total_tokens: a.total_tokens + b.total_tokens,
    input_tokens_details: {
      text_tokens: a.input_tokens_details.text_tokens + b.input_tokens_details.text_tokens,
      image_tokens: a.input_tokens_details.image_tokens + b.input_tokens_details.image_tokens,
    },
  }));
}
