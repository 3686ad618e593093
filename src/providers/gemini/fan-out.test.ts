import { describe, expect, it } from 'vitest';
import { ProviderFailure } from '../errors.js';
import { fanOut, mostSignificant } from './fan-out.js';

const fail = (kind: ProviderFailure['kind']) => new ProviderFailure(kind, kind);

describe('fanOut', () => {
  it('returns the successes in order when some calls fail', async () => {
    const failed: number[] = [];
    const results = await fanOut(
      4,
      new AbortController().signal,
      async (i) => {
        if (i % 2 === 1) throw fail('retryable');
        return i;
      },
      (_, i) => failed.push(i),
    );
    expect(results).toEqual([0, 2]);
    expect(failed).toEqual([1, 3]);
  });

  it('throws the most significant failure when all fail', async () => {
    const kinds = ['retryable', 'safety', 'terminal'] as const;
    await expect(
      fanOut(3, new AbortController().signal, async (i) => Promise.reject(fail(kinds[i]!))),
    ).rejects.toMatchObject({ kind: 'safety' });
  });

  it("throws the signal's reason once aborted", async () => {
    const controller = new AbortController();
    const reason = new Error('deadline');
    await expect(
      fanOut(2, controller.signal, async () => {
        controller.abort(reason);
        throw reason;
      }),
    ).rejects.toBe(reason);
  });
});

describe('mostSignificant', () => {
  it('ranks safety > misconfigured > terminal > invalid_response > retryable', () => {
    expect(mostSignificant([fail('retryable'), fail('invalid_response')])).toMatchObject({
      kind: 'invalid_response',
    });
    expect(mostSignificant([fail('terminal'), fail('misconfigured')])).toMatchObject({
      kind: 'misconfigured',
    });
  });

  it('falls back to the first error when none is a ProviderFailure', () => {
    const error = new Error('bug');
    expect(mostSignificant([error, new Error('other')])).toBe(error);
  });
});
