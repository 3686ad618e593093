/**
 * A weighted semaphore over pixels: work asks for the pixels it will hold in memory and waits
 * until they fit in the budget, first come first served. Work larger than the whole budget runs
 * alone. Bounds the memory of concurrent image work, whatever clients send.
 *
 * @example
 * const release = await budget.acquire(width * height, signal);
 * try { await render(); } finally { release(); }
 */
export class PixelBudget {
  private inUse = 0;
  private highest = 0;
  private readonly waiting: Array<{ pixels: number; grant: () => void }> = [];

  constructor(readonly capacity: number) {}

  /** The most pixels held at once so far (for tests and metrics). */
  get peak(): number {
    return this.highest;
  }

  /** Resolves with a release function once `pixels` fit; rejects if `signal` aborts first. */
  acquire(pixels: number, signal?: AbortSignal): Promise<() => void> {
    const weight = Math.min(Math.max(1, pixels), this.capacity);
    return new Promise((resolve, reject) => {
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        this.inUse -= weight;
        this.drain();
      };
      const entry = {
        pixels: weight,
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve(release);
        },
      };
      const onAbort = () => {
        const index = this.waiting.indexOf(entry);
        if (index >= 0) this.waiting.splice(index, 1);
        reject(signal?.reason);
        // A waiter ahead of others may have been all that held them back.
        this.drain();
      };
      if (signal?.aborted) return reject(signal.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(entry);
      this.drain();
    });
  }

  private drain(): void {
    while (this.waiting.length > 0 && this.inUse + this.waiting[0]!.pixels <= this.capacity) {
      const next = this.waiting.shift()!;
      this.inUse += next.pixels;
      this.highest = Math.max(this.highest, this.inUse);
      next.grant();
    }
  }
}

/**
 * The process-wide budget of the local renderer: one 4096² image (16.7 MP) at a time, about
 * 300 MB of working memory at peak, so that RSS stays under 600 MB whatever is sent.
 */
export const localPixelBudget = new PixelBudget(4096 * 4096);
