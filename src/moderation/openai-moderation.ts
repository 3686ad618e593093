import { z } from 'zod';
import type { ProviderSettings } from '../config.js';
import { PixapiError } from '../errors.js';

const answerSchema = z.object({
  results: z.array(
    z.object({ flagged: z.boolean(), categories: z.record(z.string(), z.boolean().nullable()) }),
  ),
});

/**
 * OpenAI's moderation endpoint on the configured OpenAI provider. Refuses when one of
 * `categories` is flagged (any flagged category when the list is empty). If OpenAI cannot
 * answer, the request fails with 503 rather than going through unchecked.
 */
export class OpenAIModeration {
  constructor(
    private readonly provider: ProviderSettings,
    private readonly categories: readonly string[],
    private readonly timeoutMs = 10_000,
  ) {}

  async match(prompt: string): Promise<string | undefined> {
    let answer: z.infer<typeof answerSchema>;
    try {
      const response = await fetch(`${this.provider.baseUrl}/moderations`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${this.provider.apiKey ?? ''}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ model: 'omni-moderation-latest', input: prompt }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      if (!response.ok) throw new Error(`moderation answered ${response.status}`);
      answer = answerSchema.parse(await response.json());
    } catch (error) {
      throw new PixapiError({
        code: 'moderation_unavailable',
        message: 'The moderation service did not answer. Nothing was charged; retry later.',
        cause: error,
      });
    }
    for (const result of answer.results) {
      const flagged = Object.entries(result.categories)
        .filter(([, on]) => on === true)
        .map(([category]) => category);
      const hit =
        this.categories.length === 0
          ? flagged[0]
          : flagged.find((category) => this.categories.includes(category));
      if (hit) return `openai:${hit}`;
    }
    return undefined;
  }
}
