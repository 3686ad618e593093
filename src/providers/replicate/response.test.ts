import { describe, expect, it } from 'vitest';
import { UpstreamFailure } from '../errors.js';
import { combineResults } from './combine.js';
import { fromReplicateOutput, parsePrediction, predictionOutcome } from './response.js';

const base = 'https://api.replicate.com/v1/predictions/gm3qorzdhgbfurvjtvhg6dckhu';

function prediction(fields: Record<string, unknown>) {
  return parsePrediction({
    id: 'gm3qorzdhgbfurvjtvhg6dckhu',
    status: 'starting',
    output: null,
    error: null,
    urls: { get: base, cancel: `${base}/cancel` },
    ...fields,
  });
}

describe('parsePrediction', () => {
  it('reads the documented prediction object', () => {
    expect(prediction({})).toEqual({
      id: 'gm3qorzdhgbfurvjtvhg6dckhu',
      status: 'starting',
      output: null,
      error: null,
      getUrl: base,
      cancelUrl: `${base}/cancel`,
    });
  });

  it('refuses answers that are not predictions', () => {
    for (const body of [{ detail: 'x' }, 'text', null, { id: 'x' }]) {
      expect(() => parsePrediction(body)).toThrow(
        expect.objectContaining({ kind: 'invalid_response' }),
      );
    }
  });
});

describe('fromReplicateOutput', () => {
  it('accepts a URL or a list of URLs, and decodes data URIs', () => {
    expect(fromReplicateOutput('https://replicate.delivery/a.webp')).toEqual([
      { url: 'https://replicate.delivery/a.webp' },
    ]);
    expect(fromReplicateOutput(['https://r.d/1.png', 'https://r.d/2.png'])).toHaveLength(2);
    expect(fromReplicateOutput(['data:image/png;base64,aGk='])[0]?.bytes?.toString()).toBe('hi');
  });

  it('treats outputs without images as invalid responses', () => {
    for (const output of [null, [], [''], { image: 1 }, 'not a url']) {
      expect(() => fromReplicateOutput(output)).toThrow(
        expect.objectContaining({ kind: 'invalid_response' }),
      );
    }
  });
});

describe('predictionOutcome', () => {
  it('waits while starting or processing', () => {
    expect(predictionOutcome(prediction({ status: 'starting' }))).toEqual({ state: 'pending' });
    expect(predictionOutcome(prediction({ status: 'processing' }))).toEqual({ state: 'pending' });
  });

  it('returns the images of a succeeded prediction', () => {
    const outcome = predictionOutcome(
      prediction({ status: 'succeeded', output: ['https://replicate.delivery/x.webp'] }),
    );
    expect(outcome).toEqual({
      state: 'succeeded',
      images: [{ url: 'https://replicate.delivery/x.webp' }],
    });
  });

  it('classifies failed, canceled and unknown states', () => {
    const kindOf = (fields: Record<string, unknown>) => {
      const outcome = predictionOutcome(prediction(fields));
      return outcome.state === 'failed' ? outcome.failure.kind : outcome.state;
    };
    expect(kindOf({ status: 'failed', error: 'NSFW content detected. Try again.' })).toBe('safety');
    expect(kindOf({ status: 'failed', error: 'CUDA error: device-side assert' })).toBe('terminal');
    expect(kindOf({ status: 'canceled' })).toBe('retryable');
    expect(kindOf({ status: 'succeeded', output: null })).toBe('invalid_response');
    expect(kindOf({ status: 'exploded' })).toBe('invalid_response');
  });
});

describe('combineResults', () => {
  const signal = new AbortController().signal;
  const ok = (n: number) => ({
    status: 'fulfilled' as const,
    value: [{ url: `https://r.d/${n}` }],
  });
  const ko = (kind: UpstreamFailure['kind']) => ({
    status: 'rejected' as const,
    reason: new UpstreamFailure(kind, kind),
  });

  it('returns the images of the predictions that succeeded', () => {
    expect(combineResults([ok(1), ko('retryable'), ok(2)], signal).images).toHaveLength(2);
  });

  it('throws the most significant failure when all failed, safety first', () => {
    expect(() => combineResults([ko('retryable'), ko('safety'), ko('terminal')], signal)).toThrow(
      expect.objectContaining({ kind: 'safety' }),
    );
    expect(() => combineResults([ko('retryable'), ko('misconfigured')], signal)).toThrow(
      expect.objectContaining({ kind: 'misconfigured' }),
    );
  });

  it('lets an abort and unexpected errors through as they are', () => {
    const controller = new AbortController();
    const reason = new Error('deadline');
    controller.abort(reason);
    expect(() => combineResults([ko('retryable')], controller.signal)).toThrow(reason);
    const bug = new TypeError('bug');
    expect(() => combineResults([{ status: 'rejected', reason: bug }], signal)).toThrow(bug);
  });
});
