/**
 * A request's time limit as an AbortSignal that stops existing when the request ends.
 *
 * `AbortSignal.timeout(ms)` cannot be cancelled, and Node keeps a timeout signal that has
 * `abort` listeners (every fetch and race adds one) alive until it fires: each finished request
 * then held its images in memory for the whole timeout (120 s by default), which at a few
 * hundred requests a second is gigabytes. `AbortSignal.any` has the same shape for the signals
 * it follows. A Deadline clears its timer and unhooks from the signals it follows in `end()`,
 * so nothing outlives the request but what the request itself still references.
 */
export class Deadline {
  readonly #controller = new AbortController();
  readonly #timer: NodeJS.Timeout | undefined;
  readonly #unhook: (() => void)[] = [];

  /**
   * @param ms the time limit; undefined for none (only the followed signals abort it)
   * @param follows signals that abort this one too (a client leaving, a worker stopping)
   */
  constructor(ms: number | undefined, follows: readonly AbortSignal[] = []) {
    if (ms !== undefined) {
      this.#timer = setTimeout(() => {
        this.#controller.abort(
          new DOMException('The operation was aborted due to timeout', 'TimeoutError'),
        );
      }, ms);
      // Like AbortSignal.timeout: a pending deadline does not keep the process alive.
      this.#timer.unref();
    }
    for (const other of follows) {
      if (other.aborted) {
        this.#controller.abort(other.reason);
        continue;
      }
      const onAbort = () => this.#controller.abort(other.reason);
      other.addEventListener('abort', onAbort, { once: true });
      this.#unhook.push(() => other.removeEventListener('abort', onAbort));
    }
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Stops the clock and lets go of the followed signals; the signal stays as it is. */
  end(): void {
    if (this.#timer) clearTimeout(this.#timer);
    for (const unhook of this.#unhook.splice(0)) unhook();
  }
}

/** Runs `work` under a fresh Deadline, ended however `work` settles. */
export async function withDeadline<T>(
  ms: number,
  follows: readonly AbortSignal[],
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const deadline = new Deadline(ms, follows);
  try {
    return await work(deadline.signal);
  } finally {
    deadline.end();
  }
}
