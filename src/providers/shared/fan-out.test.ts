import { describe, expect, it } from 'vitest';
import { UpstreamFailure } from '../errors.js';
import { collectSuccesses, failureOfAll, mostSignificant } from './fan-out.js';

const fail = (kind: UpstreamFailure['kind']) => new UpstreamFailure(kind, kind);

describe('collectSuccesses', () => {
  it('returns the successes in order when some calls fail', async () => {
    const failed: number[] = [];
    const calls = [0, 1, 2, 3].map(async (i) => {
      if (i % 2 === 1) throw fail('retryable');
      return i;
    });
    const results = await collectSuccesses(calls, new AbortController().signal, (_, i) =>
      failed.push(i),
    );
    expect(results).toEqual([0, 2]);
    expect(failed).toEqual([1, 3]);
  });

  it('throws the most significant failure when all fail, after reporting each', async () => {
    const kinds = ['retryable', 'safety', 'terminal'] as const;
    const seen: string[] = [];
    await expect(
      collectSuccesses(
        kinds.map(async (kind) => Promise.reject(fail(kind))),
        new AbortController().signal,
        (error) => seen.push((error as UpstreamFailure).kind),
      ),
    ).rejects.toMatchObject({ kind: 'safety' });
    expect(seen).toEqual(['retryable', 'safety', 'terminal']);
  });

  it('throws a bug rather than an upstream failure when all fail', async () => {
    const bug = new TypeError('bug');
    await expect(
      collectSuccesses(
        [Promise.reject(fail('safety')), Promise.reject(bug)],
        new AbortController().signal,
      ),
    ).rejects.toBe(bug);
  });

  it("throws the signal's reason once aborted, even with successes", async () => {
    const controller = new AbortController();
    const reason = new Error('deadline');
    const calls = [
      Promise.resolve(1),
      (async () => {
        controller.abort(reason);
        throw reason;
      })(),
    ];
    await expect(collectSuccesses(calls, controller.signal)).rejects.toBe(reason);
  });

  it('gives no values for no calls', async () => {
    await expect(collectSuccesses([], new AbortController().signal)).resolves.toEqual([]);
  });
});

describe('mostSignificant', () => {
  it('ranks safety > misconfigured > terminal > invalid_response > retryable', () => {
    expect(mostSignificant([fail('retryable'), fail('safety'), fail('misconfigured')])?.kind).toBe(
      'safety',
    );
    expect(
      mostSignificant([fail('retryable'), fail('terminal'), fail('misconfigured')])?.kind,
    ).toBe('misconfigured');
    expect(
      mostSignificant([fail('retryable'), fail('invalid_response'), fail('terminal')])?.kind,
    ).toBe('terminal');
    expect(mostSignificant([fail('retryable'), fail('invalid_response')])?.kind).toBe(
      'invalid_response',
    );
    expect(mostSignificant([])).toBeUndefined();
  });

  it('keeps the first of equally significant failures', () => {
    const first = fail('terminal');
    expect(mostSignificant([fail('retryable'), first, fail('terminal')])).toBe(first);
  });
});

describe('failureOfAll', () => {
  it('lets the first bug through before any upstream failure', () => {
    const bug = new Error('bug');
    expect(failureOfAll([fail('safety'), bug, new Error('other')])).toBe(bug);
    expect(failureOfAll([bug, new Error('other')])).toBe(bug);
  });

  it('falls back to the most significant failure, and to undefined for none', () => {
    expect(failureOfAll([fail('retryable'), fail('misconfigured')])).toMatchObject({
      kind: 'misconfigured',
    });
    expect(failureOfAll([])).toBeUndefined();
  });
});
