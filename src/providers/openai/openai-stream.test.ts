import { describe, expect, it } from 'vitest';
import {
  dimensions,
  failure,
  fake,
  input,
  inputImage,
  provider,
  useFakeOpenAI,
} from '../../../test/helpers/openai-adapter.js';
import { testCall } from '../../../test/helpers/provider-call.js';
import type { EditInput, StreamEvent } from '../types.js';

useFakeOpenAI();

async function collect(events: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const all: StreamEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}

describe('stream', () => {
  it('streams partial images then the final image, sending partial_images once', async () => {
    const events = await collect(
      provider.stream!(input({ options: { partial_images: 2 } }), testCall()),
    );
    expect(events.map((e) => (e.type === 'partial_image' ? `partial ${e.index}` : e.type))).toEqual(
      ['partial 0', 'partial 1', 'completed'],
    );
    const completed = events[2];
    if (completed?.type !== 'completed') throw new Error('no completed event');
    expect(await dimensions(completed.image.bytes)).toEqual({
      format: 'png',
      width: 1024,
      height: 1024,
    });
    expect(completed.usage?.total_tokens).toBeGreaterThan(0);
    expect(fake.requests[0]!.headers.accept).toBe('text/event-stream');
    expect(fake.requests[0]!.body).toEqual({
      model: 'gpt-image-1.5',
      prompt: 'a red fox in the snow',
      n: 1,
      size: '1024x1024',
      quality: 'auto',
      output_format: 'png',
      stream: true,
      partial_images: 2,
    });
  });

  it('streams edits as image_edit events over multipart', async () => {
    const edit: EditInput = {
      ...input({ options: { partial_images: 1 } }),
      images: [await inputImage('png')],
      mask: undefined,
      inputFidelity: undefined,
    };
    const events = await collect(provider.stream!(edit, testCall()));
    expect(events.map((e) => e.type)).toEqual(['partial_image', 'completed']);
    expect(fake.requests[0]!.path).toBe('/v1/images/edits');
    expect(fake.requests[0]!.body).toMatchObject({ stream: 'true', partial_images: '1' });
  });

  it('turns an error event into a classified failure', async () => {
    fake.script({
      type: 'stream_error',
      code: 'moderation_blocked',
      errorType: 'image_generation_user_error',
      partials: 1,
    });
    const seen: StreamEvent[] = [];
    const error = await failure(
      (async () => {
        for await (const event of provider.stream!(
          input({ options: { partial_images: 1 } }),
          testCall(),
        ))
          seen.push(event);
      })(),
    );
    expect(seen.map((e) => e.type)).toEqual(['partial_image']);
    expect(error.kind).toBe('safety');
  });

  it('is invalid_response when the stream ends without a final image', async () => {
    fake.script({ type: 'stream_without_completed' });
    const error = await failure(
      collect(provider.stream!(input({ options: { partial_images: 1 } }), testCall())),
    );
    expect(error.kind).toBe('invalid_response');
  });

  it('fails before streaming like a plain call', async () => {
    fake.script({ type: 'rate_limit', retryAfter: '2' });
    const error = await failure(collect(provider.stream!(input(), testCall())));
    expect(error).toMatchObject({ kind: 'retryable', retryAfterMs: 2000 });
  });

  it('stops cleanly when the consumer stops early', async () => {
    const events: StreamEvent[] = [];
    for await (const event of provider.stream!(
      input({ n: 2, options: { partial_images: 3 } }),
      testCall(),
    )) {
      events.push(event);
      break;
    }
    expect(events).toEqual([expect.objectContaining({ type: 'partial_image', index: 0 })]);
    // The connection was released: the next call goes through.
    expect((await provider.generate(input(), testCall())).images).toHaveLength(1);
  });

  it('answers models that do not stream with completed events', async () => {
    const events = await collect(provider.stream!(input({ model: 'dall-e-3' }), testCall()));
    expect(events.map((e) => e.type)).toEqual(['completed']);
    expect(fake.requests[0]!.body).not.toHaveProperty('stream');
  });
});
