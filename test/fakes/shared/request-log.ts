/**
 * The requests a fake has received, in order, for tests to inspect; `entries` is the array the
 * fake hands out as `requests`, so it is cleared in place and never replaced.
 */
export class RequestLog<T> {
  readonly entries: T[] = [];
  #waiters: Array<{ predicate: (entry: T) => boolean; resolve: (entry: T) => void }> = [];

  record(entry: T): void {
    this.entries.push(entry);
    this.#waiters = this.#waiters.filter((w) => {
      if (!w.predicate(entry)) return true;
      w.resolve(entry);
      return false;
    });
  }

  /** Resolves with the first entry that matches, already recorded or still to come. */
  waitFor(predicate: (entry: T) => boolean): Promise<T> {
    const seen = this.entries.find(predicate);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve) => this.#waiters.push({ predicate, resolve }));
  }

  /** Resolves once at least `count` entries have been recorded. */
  async waitForCount(count: number): Promise<void> {
    if (this.entries.length >= count) return;
    await this.waitFor(() => this.entries.length >= count);
  }

  /** Forgets the entries (waiters stay). */
  clear(): void {
    this.entries.length = 0;
  }
}
