import { describe, expect, it } from 'vitest';
import { ProviderFailure } from '../errors.js';
import { backoffDelay, jittered, pollUntil, waitFor } from './polling.js';

const fast = { initialMs: 1, maxMs: 2, jitter: 0 };

describe('jittered', () => {
  it('moves the delay by at most the jitter fraction', () => {
    expect(jittered(1000, 0.1, () => 0)).toBe(900);
    expect(jittered(1000, 0.1, () => 0.5)).toBe(1000);
    expect(jittered(1000, 0.1, () => 1)).toBe(1100);
    expect(jittered(1000, 0)).toBe(1000);
  });
});

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

  it('throws the reason of a signal that had already aborted', async () => {
    const reason = new Error('deadline');
    await expect(waitFor(0, AbortSignal.abort(reason))).rejects.toBe(reason);
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
    // The job exists upstream: the router must not submit it to this route again.
    await expect(retryable).rejects.toMatchObject({ kind: 'retryable', afterSubmission: true });

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
