import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../../test/helpers/database.js';
import { eventually } from '../../../test/helpers/tasks.js';
import type { Db } from '../../db/connection.js';
import { SqliteQueue } from './sqlite-queue.js';
import type { Job, JobHandlers } from './types.js';

describe('the embedded queue', () => {
  let handle: { db: Db; close(): Promise<void> };
  let queue: SqliteQueue;
  beforeEach(async () => {
    handle = await openTestDatabase('sqlite');
    queue = new SqliteQueue(handle.db, pino({ level: 'silent' }));
  });
  afterEach(async () => {
    await queue.stop();
    await handle.close();
  });

  /** Handlers that record each job and its signal, and hold `task.run` until released. */
  function holdingHandlers() {
    const seen: { job: Job; signal: AbortSignal }[] = [];
    let release = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    const handlers: JobHandlers = {
      'task.run': async (job, signal) => {
        seen.push({ job, signal });
        await Promise.race([
          released,
          // Like the task runner: a job stopped from outside throws.
          new Promise((_, reject) =>
            signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true }),
          ),
        ]);
      },
      'webhook.deliver': async () => {},
    };
    return { seen, handlers, release: () => release() };
  }

  it('refuses a lease that is not a positive number of milliseconds', async () => {
    for (const leaseMs of [0, -1, Number.NaN, 1.5]) {
      await expect(
        queue.enqueue(handle.db.kysely, 'task.run', { taskId: 't' }, { leaseMs, maxAttempts: 1 }),
      ).rejects.toThrow(RangeError);
    }
  });

  it('leases a job whose stored lease is unusable for the default, not for zero', async () => {
    await handle.db.kysely
      .insertInto('queue_jobs')
      .values({
        id: 'job_hand_written',
        name: 'task.run',
        payload: JSON.stringify({ taskId: 't', __leaseMs: 'soon' }),
        run_at: 0,
        attempts: 0,
        max_attempts: 3,
        priority: 0,
        lease_owner: null,
        lease_until: null,
        last_error: null,
        created_at: 0,
      })
      .execute();
    const { seen, handlers, release } = holdingHandlers();
    await queue.start(handlers, { concurrency: 2 });
    await eventually(async () => (seen.length > 0 ? true : undefined), 5_000);
    const row = await handle.db.kysely
      .selectFrom('queue_jobs')
      .select('lease_until')
      .where('id', '=', 'job_hand_written')
      .executeTakeFirstOrThrow();
    // The default lease is 30 s: a zero lease would let the next claim take the running job.
    expect(Number(row.lease_until) - Date.now()).toBeGreaterThan(20_000);
    expect(seen[0]!.job.payload).toEqual({ taskId: 't' });
    release();
  });

  it("aborts a running job's signal when the queue stops, and only then", async () => {
    const { seen, handlers } = holdingHandlers();
    await queue.enqueue(
      handle.db.kysely,
      'task.run',
      { taskId: 't' },
      { leaseMs: 30_000, maxAttempts: 3 },
    );
    await queue.start(handlers, { concurrency: 2 });
    await eventually(async () => (seen.length > 0 ? true : undefined), 5_000);
    expect(seen[0]!.signal.aborted).toBe(false);
    await queue.stop();
    expect(seen[0]!.signal.aborted).toBe(true);
    // Handed back for the next start, its attempt not counted.
    const row = await handle.db.kysely
      .selectFrom('queue_jobs')
      .select(['attempts', 'lease_owner'])
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ attempts: 0, lease_owner: null });
  });
});
