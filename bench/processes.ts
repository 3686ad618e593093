import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';

/** USER_HZ: 100 on every Linux build that Node supports. */
const CLOCK_TICKS_PER_S = 100;

export interface Child {
  process: ChildProcess;
  /** Peak resident memory (VmHWM) in MiB, read from /proc while the process lives. */
  peakRssMiB(): number | undefined;
  /** Starts a new peak-RSS window (Linux `clear_refs`), so that each load reports its own. */
  resetPeakRss(): void;
  /** CPU milliseconds used so far by the main thread (the event loop), from /proc. */
  mainThreadCpuMs(): number | undefined;
  stop(): Promise<void>;
}

/**
 * Starts a process and waits until a line of its stdout matches `ready`. Every child is stopped
 * by SIGTERM at the end of the bench.
 */
export function startProcess(
  command: string,
  args: string[],
  env: Record<string, string>,
  ready: RegExp,
): Promise<{ child: Child; match: RegExpExecArray }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(command, args, {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    const timer = setTimeout(
      () => reject(new Error(`${args.join(' ')} did not start: ${out}${err}`)),
      30_000,
    );
    proc.stderr.on('data', (d) => (err += d));
    proc.stdout.on('data', (d) => {
      out += d;
      const match = ready.exec(out);
      if (match && timer) {
        clearTimeout(timer);
        resolve({
          match,
          child: {
            process: proc,
            peakRssMiB() {
              try {
                const status = fs.readFileSync(`/proc/${proc.pid}/status`, 'utf8');
                const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
                return kb ? Number(kb) / 1024 : undefined;
              } catch {
                return undefined;
              }
            },
            resetPeakRss() {
              try {
                fs.writeFileSync(`/proc/${proc.pid}/clear_refs`, '5');
              } catch {
                // Not Linux, or not permitted: peaks then cover the process's whole life.
              }
            },
            mainThreadCpuMs() {
              try {
                const stat = fs.readFileSync(`/proc/${proc.pid}/task/${proc.pid}/stat`, 'utf8');
                // Fields after the command name (which may hold spaces): utime is the 12th.
                const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
                const ticks = Number(fields[11]) + Number(fields[12]);
                return (ticks * 1000) / CLOCK_TICKS_PER_S;
              } catch {
                return undefined;
              }
            },
            stop: () =>
              new Promise<void>((done) => {
                if (proc.exitCode !== null) return done();
                proc.once('exit', () => done());
                proc.kill('SIGTERM');
              }),
          },
        });
      }
    });
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${args.join(' ')} exited with ${code}: ${out}${err}`));
    });
  });
}
