import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** How often the background connection copies the WAL back into the database file. */
export const CHECKPOINT_INTERVAL_MS = 500;
/**
 * How often while writes keep coming. At 500 ms, a busy server (thousands of commits a second)
 * writes more than the backstop between passes, and the writer's own commits copy much of the
 * WAL. Measured on the ledger bench's hot account, 8 s, two runs each: commits over 2 ms took
 * 2.4–2.6 s in all at 500 ms and 1.0–1.1 s with busy passes; 2,129–2,319 → 2,826–3,226 pairs/s.
 */
export const BUSY_CHECKPOINT_INTERVAL_MS = 20;

/**
 * The worker's whole program. It is evaluated (not loaded from a file) so that it runs the same
 * from the build and from the sources under test; better-sqlite3 comes by absolute path because
 * an evaluated worker resolves packages from the working directory.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 5000');
let timer;
// data_version changes when another connection has committed since it was last read.
let seenVersion = db.pragma('data_version', { simple: true });
// Busy passes go on for one idle interval after the last commit seen: a pause of a few ms
// between writes does not make the next burst wait for an idle pass.
const quietPassesAllowed = Math.ceil(workerData.intervalMs / workerData.busyIntervalMs);
let quietPasses = quietPassesAllowed;
const pass = () => {
  try {
    // PASSIVE: copies what no reader still needs, never waits for or blocks the writer.
    db.pragma('wal_checkpoint(PASSIVE)');
    const version = db.pragma('data_version', { simple: true });
    quietPasses = version === seenVersion ? quietPasses + 1 : 0;
    seenVersion = version;
  } catch (error) {
    // A lock another connection holds for a moment (seen once under a loaded test run): the
    // next pass tries again. Anything else stops the thread, and commits take over.
    if (!/^SQLITE_(BUSY|LOCKED)/.test(error.code)) {
      db.close();
      throw error;
    }
  }
  // While writes come in, the next pass comes soon and leaves little for the writer's own
  // backstop checkpoint to copy.
  timer = setTimeout(
    pass,
    quietPasses < quietPassesAllowed ? workerData.busyIntervalMs : workerData.intervalMs,
  );
};
timer = setTimeout(pass, workerData.intervalMs);
parentPort.on('message', () => {
  clearTimeout(timer);
  db.close();
  parentPort.close();
});
`;

export interface Checkpointer {
  stop(): Promise<void>;
}

/**
 * Runs SQLite's WAL checkpoints on a second thread with its own connection, for a long-running
 * server. By default the connection whose commit pushes the WAL past 1,000 pages copies it back
 * into the database file itself: on the event loop, 5–13 ms every ~50 requests, which every
 * request waiting behind it pays. The caller raises that threshold on its connection to a
 * backstop (`onFailure` sets it back if this thread ever stops), and the copying then uses the
 * other core.
 */
export function startCheckpointer(
  file: string,
  onFailure: (error: Error) => void,
  intervalMs = CHECKPOINT_INTERVAL_MS,
  busyIntervalMs = BUSY_CHECKPOINT_INTERVAL_MS,
): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { file, driver, intervalMs, busyIntervalMs },
  });
  // The server's lifetime is not tied to this thread.
  worker.unref();
  let stopping = false;
  let failed = false;
  const fail = (error: Error) => {
    if (failed || stopping) return;
    failed = true;
    onFailure(error);
  };
  const exited = new Promise<void>((resolve) =>
    worker.once('exit', (code) => {
      if (code !== 0) fail(new Error(`checkpoint thread exited with ${code}`));
      resolve();
    }),
  );
  worker.on('error', fail);
  return {
    stop: async () => {
      stopping = true;
      // Referenced again: a process with nothing else left to do must wait for the exit,
      // not end with this promise unsettled.
      worker.ref();
      worker.postMessage('stop');
      await exited;
    },
  };
}
