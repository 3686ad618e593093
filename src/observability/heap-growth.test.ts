import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const module = JSON.stringify(new URL('./heap-growth.ts', import.meta.url).pathname);

/**
 * The peak old-space size of a process whose objects die after being promoted, as a server's
 * under load do: a live set of ~20 MB and a window of ~40 MB of recent objects, for 3M objects.
 */
async function peakHeapMiB(options: { limit: boolean; nodeArgs?: string[] }): Promise<number> {
  const script = `
    import { limitHeapGrowth } from ${module};
    if (${options.limit}) limitHeapGrowth();
    const live = Array.from({ length: 200_000 }, (_, i) => ({ i, s: 'x' + i }));
    const recent = new Array(300_000);
    let peak = 0;
    for (let n = 0; n < 3_000_000; n++) {
      recent[n % recent.length] = { n, a: [n, n + 1, n + 2], s: 'y' + n };
      if (n % 50_000 === 0) peak = Math.max(peak, process.memoryUsage().heapTotal);
    }
    console.log(JSON.stringify({ peak, live: live.length }));
  `;
  const { stdout } = await run(
    process.execPath,
    [...(options.nodeArgs ?? []), '--import', 'tsx', '--input-type=module', '-e', script],
    { timeout: 60_000 },
  );
  return (JSON.parse(stdout) as { peak: number }).peak / 2 ** 20;
}

describe('limitHeapGrowth', () => {
  it('keeps the heap of a process with promoted garbage well below V8’s default growth', async () => {
    // One after the other: each process allocates as fast as one core allows.
    const unlimited = await peakHeapMiB({ limit: false });
    const limited = await peakHeapMiB({ limit: true });
    // An operator's own flag on the command line is kept, in either of V8's spellings.
    const operators = await peakHeapMiB({ limit: true, nodeArgs: ['--heap_growing_percent=300'] });
    expect(limited).toBeLessThan(unlimited * 0.7);
    expect(operators).toBeGreaterThan(limited / 0.7);
  }, 90_000);
});
