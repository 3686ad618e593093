import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { invalid } from './errors.js';
import { send } from './reply.js';

/** The categories of OpenAI's omni-moderation models. */
export const MODERATION_CATEGORIES = [
  'harassment',
  'harassment/threatening',
  'hate',
  'hate/threatening',
  'illicit',
  'illicit/violent',
  'self-harm',
  'self-harm/instructions',
  'self-harm/intent',
  'sexual',
  'sexual/minors',
  'violence',
  'violence/graphic',
] as const;

/**
 * `POST /v1/moderations` as OpenAI answers it. The fake flags a category when the input
 * contains `flag:<category>` (so tests choose what gets flagged); `flagged` is true when any is.
 */
export function answerModeration(res: ServerResponse, body: Record<string, unknown>): void {
  const inputs = typeof body.input === 'string' ? [body.input] : body.input;
  if (!Array.isArray(inputs) || inputs.some((i) => typeof i !== 'string')) {
    throw invalid(
      "Invalid value for 'input': expected a string or an array of strings.",
      'input',
      null,
    );
  }
  const results = (inputs as string[]).map((input) => {
    const categories = Object.fromEntries(
      MODERATION_CATEGORIES.map((c) => [c, input.includes(`flag:${c}`)]),
    );
    return {
      flagged: Object.values(categories).some(Boolean),
      categories,
      category_scores: Object.fromEntries(
        Object.entries(categories).map(([c, on]) => [c, on ? 0.98 : 0.0001]),
      ),
      category_applied_input_types: Object.fromEntries(
        MODERATION_CATEGORIES.map((c) => [c, ['text']]),
      ),
    };
  });
  send(res, 200, {
    id: `modr-${randomBytes(8).toString('hex')}`,
    model: typeof body.model === 'string' ? body.model : 'omni-moderation-latest',
    results,
  });
}
