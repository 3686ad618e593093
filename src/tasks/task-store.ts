import type { Kysely } from 'kysely';
import type { Database, TasksTable, TaskStatus } from '../db/schema.js';
import { insertRow, prepared } from '../db/prepared.js';
import type { ImagesResponseBody } from '../generation/response.js';

/**
 * The task lifecycle: each status and the statuses it may move to. A status with nowhere to go
 * is final. Every status change of the store is a compare-and-set on the statuses this table
 * allows to move to the new one, so that of two writers racing on one task (two deliveries of
 * its job, a worker and a cancel) only one wins.
 */
export const TASK_TRANSITIONS: Readonly<Record<TaskStatus, readonly TaskStatus[]>> = {
  // Claimed by a worker, canceled by its owner, or failed without running (the stale-task
  // sweep; a redelivery that finds its attempts used up).
  submitted: ['processing', 'canceled', 'failed'],
  // Claimed again by a redelivery (an attempt that crashed or lost its lease), or ended.
  processing: ['processing', 'completed', 'failed'],
  completed: [],
  failed: [],
  canceled: [],
};

/** Every status, in the lifecycle's order. */
export const TASK_STATUSES = Object.keys(TASK_TRANSITIONS) as TaskStatus[];

/** The statuses a task is not yet done in: those it can still move from. */
export const OPEN_STATUSES = TASK_STATUSES.filter((s) => TASK_TRANSITIONS[s].length > 0);

export function isOpen(status: TaskStatus): boolean {
  return OPEN_STATUSES.includes(status);
}

export function canMove(from: TaskStatus, to: TaskStatus): boolean {
  return TASK_TRANSITIONS[from].includes(to);
}

/** The statuses a task may move to `to` from: the guard of that status change. */
export function statusesBefore(to: TaskStatus): TaskStatus[] {
  return TASK_STATUSES.filter((from) => canMove(from, to));
}

export type WebhookState = NonNullable<TasksTable['webhook_state']>;

// What every task runs, prepared once (db/prepared.ts).
const taskById = prepared<{ id: string }>()((db, arg) =>
  db.selectFrom('tasks').selectAll().where('id', '=', arg('id')),
);
const openOfAccount = prepared<{ accountId: string }>()((db, arg) =>
  db
    .selectFrom('tasks')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('account_id', '=', arg('accountId'))
    .where('status', 'in', OPEN_STATUSES),
);
const claimTask = prepared<{ id: string; attempts: number; startedAt: number }>()((db, arg) =>
  move(db, arg('id'), 'processing', {
    progress: 10,
    attempts: arg('attempts'),
    started_at: arg('startedAt'),
  }),
);
const completeTask = prepared<{ id: string; result: string; completedAt: number }>()((db, arg) =>
  move(db, arg('id'), 'completed', {
    progress: 100,
    result: arg('result'),
    completed_at: arg('completedAt'),
  }),
);

/** The status change to `to`, guarded by the task being in a status allowed to move there. */
function move(
  db: Kysely<Database>,
  id: string,
  to: TaskStatus,
  values: Partial<Omit<TasksTable, 'id' | 'status'>>,
) {
  return db
    .updateTable('tasks')
    .set({ status: to, ...values })
    .where('id', '=', id)
    .where('status', 'in', statusesBefore(to));
}

/** A task with its account's webhook signing secret. */
export type TaskWithSecret = TasksTable & { webhook_secret: string };

/**
 * The only writer of the `tasks` table, and its reader (two reports join it read-only). It runs on the executor it is given: the
 * database, or a caller's transaction when the write must commit with others (the hold, the
 * job, the usage record).
 */
export class TaskStore {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(row: TasksTable): Promise<void> {
    await insertRow(this.db, 'tasks', row);
  }

  async find(id: string): Promise<TasksTable | undefined> {
    return taskById.first(this.db, { id });
  }

  /** Another account's task is not found. */
  async findOwned(accountId: string, id: string): Promise<TasksTable | undefined> {
    return this.db
      .selectFrom('tasks')
      .selectAll()
      .where('id', '=', id)
      .where('account_id', '=', accountId)
      .executeTakeFirst();
  }

  /** Newest first, one row past `limit` (so the caller sees whether there are more). */
  async list(
    accountId: string,
    query: { statuses: readonly TaskStatus[]; limit: number; after?: string },
  ): Promise<TasksTable[]> {
    let q = this.db
      .selectFrom('tasks')
      .selectAll()
      .where('account_id', '=', accountId)
      .orderBy('id', 'desc')
      .limit(query.limit + 1);
    if (query.statuses.length > 0) q = q.where('status', 'in', query.statuses);
    if (query.after) q = q.where('id', '<', query.after);
    return q.execute();
  }

  /** Open tasks created before `createdBefore`, at most `limit` of them. */
  async listStale(createdBefore: number, limit: number): Promise<TasksTable[]> {
    return this.db
      .selectFrom('tasks')
      .selectAll()
      .where('status', 'in', OPEN_STATUSES)
      .where('created_at', '<', createdBefore)
      .limit(limit)
      .execute();
  }

  /** What a webhook delivery needs: the task and its account's signing secret. */
  async findWithSecret(id: string): Promise<TaskWithSecret | undefined> {
    return this.db
      .selectFrom('tasks')
      .innerJoin('accounts', 'accounts.id', 'tasks.account_id')
      .selectAll('tasks')
      .select('accounts.webhook_secret')
      .where('tasks.id', '=', id)
      .executeTakeFirst();
  }

  /** What a webhook redelivery checks: the task's status and target. */
  async findWebhookTarget(accountId: string, id: string) {
    return this.db
      .selectFrom('tasks')
      .select(['id', 'status', 'webhook_url'])
      .where('id', '=', id)
      .where('account_id', '=', accountId)
      .executeTakeFirst();
  }

  /**
   * Open tasks of an account (of one of its keys when `keyId` is given), counted through
   * `tasks_account_status`.
   */
  async countOpen(accountId: string, keyId?: string): Promise<number> {
    if (keyId === undefined) {
      const row = await openOfAccount.first(this.db, { accountId });
      return Number(row?.n ?? 0);
    }
    const row = await this.db
      .selectFrom('tasks')
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .where('account_id', '=', accountId)
      .where('status', 'in', OPEN_STATUSES)
      .where('key_id', '=', keyId)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** Open tasks of every account by status: waiting (the queue's depth) and running. */
  async countOpenByStatus(): Promise<{ submitted: number; processing: number }> {
    const rows = await this.db
      .selectFrom('tasks')
      .select(['status', (eb) => eb.fn.countAll<string | number>().as('n')])
      .where('status', 'in', OPEN_STATUSES)
      .groupBy('status')
      .execute();
    const count = (status: TaskStatus) => Number(rows.find((r) => r.status === status)?.n ?? 0);
    return { submitted: count('submitted'), processing: count('processing') };
  }

  /**
   * A worker takes the task for its `attempts`-th try. False when it is no longer open
   * (canceled, or ended by another delivery): the provider must not be called.
   */
  async claim(id: string, attempts: number, startedAt: number): Promise<boolean> {
    return (await claimTask.affected(this.db, { id, attempts, startedAt })) === 1;
  }

  /** An attempt stopped from outside does not count: the task's tries go back to `attempts`. */
  async giveBackAttempt(id: string, attempts: number): Promise<void> {
    await this.db
      .updateTable('tasks')
      .set({ attempts })
      .where('id', '=', id)
      .where('status', '=', 'processing')
      .execute();
  }

  /** False when the task was not running (another delivery ended it first). */
  async complete(id: string, result: ImagesResponseBody): Promise<boolean> {
    const completed = { id, result: JSON.stringify(result), completedAt: Date.now() };
    return (await completeTask.affected(this.db, completed)) === 1;
  }

  /** @param error the error as the API shows it; false when the task had already ended */
  async fail(id: string, error: object): Promise<boolean> {
    const done = await move(this.db, id, 'failed', {
      error: JSON.stringify(error),
      completed_at: Date.now(),
    }).executeTakeFirst();
    return Number(done.numUpdatedRows) === 1;
  }

  /**
   * The account's task becomes canceled if it may; returns its hold (to release) then, and
   * undefined when it is another account's, missing, or past canceling.
   */
  async cancel(accountId: string, id: string): Promise<{ hold_id: string | null } | undefined> {
    return move(this.db, id, 'canceled', { completed_at: Date.now() })
      .where('account_id', '=', accountId)
      .returning(['hold_id'])
      .executeTakeFirst();
  }

  async setWebhookState(id: string, state: WebhookState): Promise<void> {
    await this.db.updateTable('tasks').set({ webhook_state: state }).where('id', '=', id).execute();
  }
}
