import { describe, expect, it } from 'vitest';
import { sumUsage } from './usage.js';

const usage = {
  input_tokens: 10,
  output_tokens: 1056,
  total_tokens: 1066,
  input_tokens_details: { text_tokens: 10, image_tokens: 0 },
};

describe('sumUsage', () => {
  it('adds usages and is undefined without any', () => {
    expect(sumUsage([])).toBeUndefined();
    expect(sumUsage([undefined])).toBeUndefined();
    expect(sumUsage([usage, undefined, usage])).toEqual({
      input_tokens: 20,
      output_tokens: 2112,
      total_tokens: 2132,
      input_tokens_details: { text_tokens: 20, image_tokens: 0 },
    });
  });
});
