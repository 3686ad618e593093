import type { PlaceholderSpec } from './render.js';

/**
 * The placeholder's recent renders by spec, bounded in bytes, least recently used out first.
 * The renderer is deterministic (the same spec gives the same bytes), and load tests, demos and
 * retries repeat their prompts: a repeat costs a lookup instead of four sharp pipelines
 * (~5 ms of CPU even at 64×64), which would otherwise be most of a local task's cost. Edits are
 * not cached: their inputs make each spec its own.
 */
export class RenderCache {
  private readonly entries = new Map<string, Buffer>();
  private bytes = 0;

  constructor(readonly capacityBytes: number) {}

  /** Undefined for specs that are never cached (edits). */
  key(spec: PlaceholderSpec): string | undefined {
    if (spec.inputs?.length) return undefined;
    const { prompt, seed, width, height, format, transparent, compression } = spec;
    return JSON.stringify([prompt, seed, width, height, format, transparent, compression]);
  }

  get(key: string): Buffer | undefined {
    const bytes = this.entries.get(key);
    if (bytes) {
      // Most recently used last.
      this.entries.delete(key);
      this.entries.set(key, bytes);
    }
    return bytes;
  }

  set(key: string, bytes: Buffer): void {
    const size = bytes.length + key.length * 2;
    // One large image must not push out every small one.
    if (size > this.capacityBytes / 8 || this.entries.has(key)) return;
    this.entries.set(key, bytes);
    this.bytes += size;
    for (const [oldest, old] of this.entries) {
      if (this.bytes <= this.capacityBytes) break;
      this.entries.delete(oldest);
      this.bytes -= old.length + oldest.length * 2;
    }
  }
}

export const localRenderCache = new RenderCache(16 * 1024 * 1024);
