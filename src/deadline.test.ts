import { getEventListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { Deadline, withDeadline } from './deadline.js';

describe('Deadline', () => {
  it('aborts with a TimeoutError when the time is up', async () => {
    const deadline = new Deadline(20);
    await sleep(60);
    expect(deadline.signal.aborted).toBe(true);
    expect((deadline.signal.reason as DOMException).name).toBe('TimeoutError');
  });

  it('ended, it never aborts', async () => {
    const deadline = new Deadline(20);
    deadline.end();
    await sleep(60);
    expect(deadline.signal.aborted).toBe(false);
  });

  it('follows other signals with their reason, and lets go of them when ended', () => {
    const client = new AbortController();
    const deadline = new Deadline(60_000, [client.signal]);
    expect(getEventListeners(client.signal, 'abort')).toHaveLength(1);
    client.abort(new Error('client left'));
    expect(deadline.signal.aborted).toBe(true);
    expect((deadline.signal.reason as Error).message).toBe('client left');
    deadline.end();

    const worker = new AbortController();
    const other = new Deadline(60_000, [worker.signal]);
    other.end();
    expect(getEventListeners(worker.signal, 'abort')).toHaveLength(0);
    worker.abort();
    expect(other.signal.aborted).toBe(false);
  });

  it('starts aborted when a followed signal already is', () => {
    const deadline = new Deadline(60_000, [AbortSignal.abort('gone')]);
    expect(deadline.signal.reason).toBe('gone');
    deadline.end();
  });

  it('withDeadline ends it however the work settles', async () => {
    const seen: AbortSignal[] = [];
    await withDeadline(20, [], async (signal) => void seen.push(signal));
    await expect(
      withDeadline(20, [], async (signal) => {
        seen.push(signal);
        throw new Error('failed');
      }),
    ).rejects.toThrow('failed');
    await sleep(60);
    expect(seen.map((s) => s.aborted)).toEqual([false, false]);
  });
});
