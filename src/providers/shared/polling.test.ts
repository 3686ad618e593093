import { describe, expect, it } from 'vitest';
import { UpstreamFailure } from '../errors.js';
import { pollUntil, waitFor } from './polling.js';

const fast = { initialMs: 1, maxMs: 2, jitter: 0 };

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
        if (calls <= 2) throw new UpstreamFailure('retryable', 'status 503');
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
        throw new UpstreamFailure('retryable', 'status 503');
      },
      { ...fast, signal, maxConsecutiveFailures: 2 },
    );
    // The job exists upstream: the router must not submit it to this route again.
    await expect(retryable).rejects.toMatchObject({ kind: 'retryable', afterSubmission: true });

    let calls = 0;
    const terminal = pollUntil(
      async () => {
        calls++;
        throw new UpstreamFailure('terminal', 'bad');
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
