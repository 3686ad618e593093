import { describe, expect, it } from 'vitest';
import { fromFalResult, fromFalStatus, parseFalSubmission } from './response.js';

const base = 'https://queue.fal.run/fal-ai/flux/requests/80e732af';

describe('parseFalSubmission', () => {
  it('reads the documented queue answer', () => {
    const answer = {
      request_id: '80e732af',
      response_url: base,
      status_url: `${base}/status`,
      cancel_url: `${base}/cancel`,
      queue_position: 0,
    };
    expect(parseFalSubmission(answer)).toEqual({
      request_id: '80e732af',
      response_url: base,
      status_url: `${base}/status`,
      cancel_url: `${base}/cancel`,
    });
  });

  it('refuses answers without the URLs to follow', () => {
    expect(() => parseFalSubmission({ request_id: 'x' })).toThrow(
      expect.objectContaining({ kind: 'invalid_response' }),
    );
    expect(() =>
      parseFalSubmission({ request_id: 'x', status_url: 'file:///etc', response_url: base }),
    ).toThrow(expect.objectContaining({ kind: 'invalid_response' }));
  });
});

describe('fromFalStatus', () => {
  it('waits while queued or running, and finishes on COMPLETED', () => {
    expect(fromFalStatus({ status: 'IN_QUEUE', queue_position: 2 })).toEqual({ done: false });
    expect(fromFalStatus({ status: 'IN_PROGRESS', logs: [] })).toEqual({ done: false });
    expect(fromFalStatus({ status: 'COMPLETED', metrics: {} })).toEqual({
      done: true,
      value: { error: undefined, errorType: undefined },
    });
  });

  it('keeps the error of a failed request', () => {
    expect(
      fromFalStatus({ status: 'COMPLETED', error: 'Timed out', error_type: 'request_timeout' }),
    ).toEqual({ done: true, value: { error: 'Timed out', errorType: 'request_timeout' } });
  });

  it('treats unknown shapes as invalid responses', () => {
    expect(() => fromFalStatus({ state: 'done' })).toThrow(
      expect.objectContaining({ kind: 'invalid_response' }),
    );
    expect(() => fromFalStatus({ status: 'EXPLODED' })).toThrow(
      expect.objectContaining({ kind: 'invalid_response' }),
    );
  });
});

describe('fromFalResult', () => {
  const image = (n: number) => ({
    url: `https://v3.fal.media/files/${n}.png`,
    content_type: 'image/png',
    width: 1024,
    height: 1024,
  });

  it('returns the image URLs', () => {
    const images = fromFalResult({
      images: [image(1), image(2)],
      seed: 7,
      has_nsfw_concepts: [false, false],
    });
    expect(images).toEqual([{ url: image(1).url }, { url: image(2).url }]);
  });

  it('drops flagged images, and refuses for safety when all are flagged', () => {
    const kept = fromFalResult({ images: [image(1), image(2)], has_nsfw_concepts: [true, false] });
    expect(kept).toEqual([{ url: image(2).url }]);
    expect(() => fromFalResult({ images: [image(1)], has_nsfw_concepts: [true] })).toThrow(
      expect.objectContaining({ kind: 'safety' }),
    );
  });

  it('decodes data URIs of sync-mode results', () => {
    const [first] = fromFalResult({ images: [{ url: 'data:image/png;base64,aGk=' }] });
    expect(first?.bytes?.toString()).toBe('hi');
  });

  it('treats results without usable images as invalid responses', () => {
    for (const body of [{ images: [] }, {}, { images: [{ url: 'ftp://x' }] }, [1], 'text']) {
      expect(() => fromFalResult(body)).toThrow(
        expect.objectContaining({ kind: 'invalid_response' }),
      );
    }
  });
});
