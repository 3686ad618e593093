import { describe, expect, it } from 'vitest';
import { invalidRequest } from '../errors.js';
import { ProviderFailure } from './errors.js';
import {
  backoffDelay,
  decodeDataUri,
  hasOrigin,
  networkFailure,
  parseRetryAfterMs,
  pollUntil,
  readAnswer,
  waitFor,
} from './polling.js';

const fast = { initialMs: 1, maxMs: 2, jitter: 0 };

describe('backoffDelay', () => {
  it('doubles from 250 ms and stops at 2 s', () => {
    const delays = [0, 1, 2, 3, 4, 10].map((a) => backoffDelay(a, { jitter: 0 }));
    expect(delays).toEqual([250, 500, 1000, 2000, 2000, 2000]);
  });

  it('stays within the jitter band', () => {
    expect(backoffDelay(0, { random: () => 0 })).toBe(225);
    expect(backoffDelay(0, { random: () => 1 })).toBe(275);
  });
});

describe('waitFor', () => {
  it("throws the signal's own reason when aborted", async () => {
    const controller = new AbortController();
    const reason = new Error('deadline');
    const waiting = waitFor(60_000, controller.signal);
    controller.abort(reason);
    await expect(waiting).rejects.toBe(reason);
  });
});

describe('pollUntil', () => {
  it('polls until the step reports done', async () => {
    let calls = 0;
    const value = await pollUntil(
      async () => (++calls < 3 ? { done: false } : { done: true, value: 'ready' }),
      { ...fast, signal: new AbortController().signal },
    );
    expect(value).toBe('ready');
    expect(calls).toBe(3);
  });

  it('tolerates a few retryable failures of the status endpoint in a row', async () => {
    let calls = 0;
    const value = await pollUntil(
      async () => {
        calls++;
        if (calls <= 2) throw new ProviderFailure('retryable', 'status 503');
        return { done: true, value: calls };
      },
      { ...fast, signal: new AbortController().signal },
    );
    expect(value).toBe(3);
  });

  it('gives up after too many retryable failures, and at once on other kinds', async () => {
    const signal = new AbortController().signal;
    const retryable = pollUntil(
      async () => {
        throw new ProviderFailure('retryable', 'status 503');
      },
      { ...fast, signal, maxConsecutiveFailures: 2 },
    );
    await expect(retryable).rejects.toMatchObject({ kind: 'retryable' });

    let calls = 0;
    const terminal = pollUntil(
      async () => {
        calls++;
        throw new ProviderFailure('terminal', 'bad');
      },
      { ...fast, signal },
    );
    await expect(terminal).rejects.toMatchObject({ kind: 'terminal' });
    expect(calls).toBe(1);
  });

  it('stops with the reason when the signal aborts', async () => {
    const controller = new AbortController();
    const reason = new Error('client went away');
    let calls = 0;
    const polling = pollUntil(
      async () => {
        if (++calls === 2) controller.abort(reason);
        return { done: false };
      },
      { ...fast, signal: controller.signal },
    );
    await expect(polling).rejects.toBe(reason);
    expect(calls).toBe(2);
  });
});

describe('parseRetryAfterMs', () => {
  it('reads seconds and HTTP dates', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfterMs('3')).toBe(3000);
    expect(parseRetryAfterMs('0.5')).toBe(500);
    expect(parseRetryAfterMs('Thu, 01 Jan 2026 00:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfterMs('Wed, 31 Dec 2025 00:00:00 GMT', now)).toBe(0);
  });

  it('ignores absent and unreadable values', () => {
    expect(parseRetryAfterMs(null)).toBeUndefined();
    expect(parseRetryAfterMs('soon')).toBeUndefined();
  });
});

describe('readAnswer', () => {
  it('parses JSON and keeps non-JSON bodies as text', async () => {
    const json = await readAnswer(new Response('{"a":1}', { status: 200 }));
    expect(json.json).toEqual({ a: 1 });
    const html = await readAnswer(new Response('<html>oops</html>', { status: 502 }));
    expect(html).toMatchObject({ status: 502, text: '<html>oops</html>', json: undefined });
  });
});

describe('networkFailure', () => {
  it('is retryable unless the call itself was aborted', () => {
    const live = new AbortController().signal;
    expect(() => networkFailure(new TypeError('fetch failed'), live, 'x')).toThrow(
      expect.objectContaining({ kind: 'retryable' }),
    );
    const controller = new AbortController();
    const reason = new Error('deadline');
    controller.abort(reason);
    expect(() => networkFailure(new TypeError('aborted'), controller.signal, 'x')).toThrow(reason);
  });
});

describe('networkFailure and the guarded client', () => {
  it('makes a refused provider URL invalid_response and its timeouts retryable', () => {
    const signal = new AbortController().signal;
    const rejected = invalidRequest('image_url_rejected', 'private address', null);
    expect(() => networkFailure(rejected, signal, 'x')).toThrow(
      expect.objectContaining({ kind: 'invalid_response', upstreamCode: 'image_url_rejected' }),
    );
    const timeout = invalidRequest('image_url_timeout', 'slow', null);
    expect(() => networkFailure(timeout, signal, 'x')).toThrow(
      expect.objectContaining({ kind: 'retryable' }),
    );
  });
});

describe('decodeDataUri and hasOrigin', () => {
  it('decode base64 data URIs only', () => {
    expect(decodeDataUri('data:image/png;base64,aGVsbG8=')?.toString()).toBe('hello');
    expect(decodeDataUri('data:image/png;base64,')).toBeUndefined();
    expect(decodeDataUri('https://example.com/a.png')).toBeUndefined();
  });

  it('compare scheme, host and port', () => {
    expect(hasOrigin('http://127.0.0.1:80/a', 'http://127.0.0.1')).toBe(true);
    expect(hasOrigin('http://127.0.0.1:81/a', 'http://127.0.0.1:80')).toBe(false);
    expect(hasOrigin('https://queue.fal.run/x', 'http://queue.fal.run')).toBe(false);
    expect(hasOrigin('not a url', 'http://127.0.0.1')).toBe(false);
  });
});
