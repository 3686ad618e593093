import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { UpstreamFailure } from '../errors.js';
import { fromOpenAIStreamEvent } from './stream-events.js';

let b64: string;
const usage = {
  input_tokens: 5,
  output_tokens: 100,
  total_tokens: 105,
  input_tokens_details: { text_tokens: 5, image_tokens: 0 },
};

beforeAll(async () => {
  b64 = (
    await sharp({ create: { width: 4, height: 4, channels: 3, background: '#36c' } })
      .png()
      .toBuffer()
  ).toString('base64');
});

const sse = (event: string | undefined, data: unknown) => ({
  event,
  data: typeof data === 'string' ? data : JSON.stringify(data),
  id: undefined,
});

function failureOf(fn: () => unknown): UpstreamFailure {
  try {
    fn();
  } catch (error) {
    if (error instanceof UpstreamFailure) return error;
    throw error;
  }
  throw new Error('expected a UpstreamFailure');
}

describe('fromOpenAIStreamEvent', () => {
  it('maps partial images of generations and edits', () => {
    expect(
      fromOpenAIStreamEvent(
        'openai',
        sse('image_generation.partial_image', {
          type: 'image_generation.partial_image',
          b64_json: b64,
          partial_image_index: 1,
        }),
      ),
    ).toEqual({ type: 'partial_image', b64, index: 1 });
    expect(
      fromOpenAIStreamEvent(
        'openai',
        sse(undefined, { type: 'image_edit.partial_image', b64_json: b64, partial_image_index: 0 }),
      ),
    ).toEqual({ type: 'partial_image', b64, index: 0 });
  });

  it('maps the completed event to image bytes and usage', () => {
    const event = fromOpenAIStreamEvent(
      'openai',
      sse('image_edit.completed', { type: 'image_edit.completed', b64_json: b64, usage }),
    );
    expect(event?.type).toBe('completed');
    if (event?.type !== 'completed') return;
    expect(event.image.bytes?.toString('base64')).toBe(b64);
    expect(event.usage).toEqual(usage);
  });

  it('ignores [DONE] and unknown events', () => {
    expect(fromOpenAIStreamEvent('openai', sse(undefined, '[DONE]'))).toBeUndefined();
    expect(fromOpenAIStreamEvent('openai', sse('ping', {}))).toBeUndefined();
  });

  it('classifies error events', () => {
    expect(
      failureOf(() =>
        fromOpenAIStreamEvent(
          'openai',
          sse('error', {
            type: 'error',
            error: {
              type: 'image_generation_user_error',
              code: 'moderation_blocked',
              message: 'no',
              param: null,
            },
          }),
        ),
      ).kind,
    ).toBe('safety');
    expect(
      failureOf(() =>
        fromOpenAIStreamEvent(
          'openai',
          sse('error', { type: 'server_error', code: null, message: 'oops' }),
        ),
      ).kind,
    ).toBe('retryable');
  });

  it('is invalid_response for broken events', () => {
    expect(
      failureOf(() =>
        fromOpenAIStreamEvent('openai', sse('image_generation.completed', '{not json')),
      ).kind,
    ).toBe('invalid_response');
    expect(
      failureOf(() =>
        fromOpenAIStreamEvent(
          'openai',
          sse('image_generation.completed', { b64_json: 'bm90IGFuIGltYWdl' }),
        ),
      ).kind,
    ).toBe('invalid_response');
    expect(
      failureOf(() =>
        fromOpenAIStreamEvent(
          'openai',
          sse('image_generation.partial_image', { partial_image_index: 0 }),
        ),
      ).kind,
    ).toBe('invalid_response');
  });
});
