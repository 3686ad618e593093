import { inSpan } from './tracing.js';

/** The phases of an image request that the completion log line times (and traces, when on). */
export type Phase = 'auth' | 'limits' | 'hold' | 'provider' | 'checks' | 'storage' | 'capture';

/**
 * Milliseconds spent per phase of one request, plus what the completion line reports about it
 * (model, route, attempts, credits). Phases that repeat (a task's retries) add up.
 */
export class PhaseTimer {
  readonly ms: Partial<Record<Phase, number>> = {};
  readonly facts: { model?: string; route?: string | null; attempts?: number; credits?: number } =
    {};

  add(phase: Phase, ms: number): void {
    this.ms[phase] = Math.round(((this.ms[phase] ?? 0) + ms) * 10) / 10;
  }

  /** Runs `work`, adding its duration to `phase` whether it succeeds or throws. */
  async time<T>(phase: Phase, work: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await inSpan(phase, {}, work);
    } finally {
      this.add(phase, performance.now() - started);
    }
  }
}

/** Times `work` on `timer` when there is one (tasks and tests may run without). */
export function timed<T>(
  timer: PhaseTimer | undefined,
  phase: Phase,
  work: () => Promise<T>,
): Promise<T> {
  return timer ? timer.time(phase, work) : inSpan(phase, {}, work);
}
