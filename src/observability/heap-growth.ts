import v8 from 'node:v8';

/** How far V8's old space may grow past what the last full collection kept, in percent. */
export const HEAP_GROWING_PERCENT = 20;

/**
 * For the long-running commands (`serve`, `worker`). A request's objects often outlive two
 * young-generation collections under load (32 connections: tens of milliseconds each), so they
 * die in the old space, and V8 lets that space grow to up to four times its live size before a
 * full collection. Measured with the overhead bench's fast provider: RSS rose 140 → 266–276 MB
 * over six 6-second loads, then fell back; with 20 % it stays at 185–193 MB for the same main-
 * thread CPU per request. The flag is read at each collection, so setting it at startup works.
 * A `--heap-growing-percent` given on the node command line wins.
 */
export function limitHeapGrowth(): void {
  // V8 takes its flags with dashes or underscores.
  if (process.execArgv.some((arg) => /^--heap[-_]growing[-_]percent/.test(arg))) return;
  v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
