import { z } from 'zod';
import type { ImagesUsage } from '../types.js';

const modalityCountSchema = z.looseObject({
  modality: z.string().optional(),
  tokenCount: z.number().optional(),
});

/** Gemini's `usageMetadata`, camelCased. */
export const usageSchema = z.looseObject({
  promptTokenCount: z.number().optional(),
  candidatesTokenCount: z.number().optional(),
  thoughtsTokenCount: z.number().optional(),
  totalTokenCount: z.number().optional(),
  promptTokensDetails: z.array(modalityCountSchema).nullish(),
});

export type GeminiUsage = z.infer<typeof usageSchema>;

function modalityTokens(details: GeminiUsage['promptTokensDetails'], modality: string): number {
  return (details ?? [])
    .filter((d) => d.modality === modality)
    .reduce((sum, d) => sum + (d.tokenCount ?? 0), 0);
}

/**
 * Gemini's usage in OpenAI's images shape. Thinking tokens are billed as output by Google, so
 * they count as output here. Without a per-modality breakdown, all input counts as text.
 *
 * @example
 * toImagesUsage({ promptTokenCount: 10, candidatesTokenCount: 1290, totalTokenCount: 1300 });
 * // { input_tokens: 10, output_tokens: 1290, total_tokens: 1300, input_tokens_details: {...} }
 */
export function toImagesUsage(usage: GeminiUsage): ImagesUsage {
  const input = usage.promptTokenCount ?? 0;
  const output = (usage.candidatesTokenCount ?? 0) + (usage.thoughtsTokenCount ?? 0);
  const details = usage.promptTokensDetails;
  const hasDetails = (details ?? []).length > 0;
  return {
    input_tokens: input,
    output_tokens: output,
    total_tokens: usage.totalTokenCount ?? input + output,
    input_tokens_details: {
      text_tokens: hasDetails ? modalityTokens(details, 'TEXT') : input,
      image_tokens: hasDetails ? modalityTokens(details, 'IMAGE') : 0,
    },
  };
}
