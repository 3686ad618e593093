import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountService } from '../accounts/accounts.js';
import { Ledger } from '../billing/ledger.js';
import type { Db } from '../db/connection.js';
import type { TasksTable } from '../db/schema.js';
import { openTestDatabase } from '../../test/helpers/database.js';
import { postgresAvailable } from '../../test/helpers/postgres.js';
import type { ImagesResponseBody } from '../generation/response.js';
import { sortableId } from '../ids.js';
import {
  OPEN_STATUSES,
  statusesBefore,
  TASK_STATUSES,
  TASK_TRANSITIONS,
  TaskStore,
} from './task-store.js';

describe('the task lifecycle', () => {
  it('ends in completed, failed or canceled, which go nowhere', () => {
    expect(TASK_STATUSES.filter((s) => TASK_TRANSITIONS[s].length === 0)).toEqual([
      'completed',
      'failed',
      'canceled',
    ]);
    expect(OPEN_STATUSES).toEqual(['submitted', 'processing']);
  });

  it('guards each status change by the statuses allowed to move there', () => {
    expect(statusesBefore('processing')).toEqual(['submitted', 'processing']);
    expect(statusesBefore('completed')).toEqual(['processing']);
    expect(statusesBefore('failed')).toEqual(['submitted', 'processing']);
    expect(statusesBefore('canceled')).toEqual(['submitted']);
    expect(statusesBefore('submitted')).toEqual([]);
  });
});

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe.skipIf(dialect === 'postgres' && !postgresAvailable)(`task store on ${dialect}`, () => {
    let handle: { db: Db; close(): Promise<void> };
    let store: TaskStore;
    let accountId: string;

    beforeAll(async () => {
      handle = await openTestDatabase(dialect);
      store = new TaskStore(handle.db.kysely);
      const accounts = new AccountService(handle.db, new Ledger(handle.db));
      accountId = (await accounts.create({ name: 'task-store' })).accountId;
    });
    afterAll(async () => handle?.close());

    async function newTask(): Promise<string> {
      const row: TasksTable = {
        id: sortableId('task'),
        account_id: accountId,
        key_id: null,
        model: 'm',
        endpoint: 'images.generations',
        status: 'submitted',
        progress: 0,
        request: '{}',
        hold_id: null,
        price_per_image: 0,
        result: null,
        error: null,
        attempts: 0,
        metadata: null,
        webhook_url: null,
        webhook_state: null,
        request_id: sortableId('req'),
        created_at: Date.now(),
        started_at: null,
        completed_at: null,
      };
      await store.insert(row);
      return row.id;
    }

    const statusOf = async (id: string) => (await store.find(id))?.status;
    const result: ImagesResponseBody = {
      created: 0,
      data: [],
      model: 'm',
      output_format: 'png',
      size: '1024x1024',
      billing: { images: 0, credits: 0 },
    };

    it('runs a task once claimed, and again when its job is redelivered', async () => {
      const id = await newTask();
      expect(await store.complete(id, result)).toBe(false);
      expect(await store.claim(id, 1, Date.now())).toBe(true);
      expect(await store.claim(id, 2, Date.now())).toBe(true);
      expect(await store.complete(id, result)).toBe(true);
      expect(await statusOf(id)).toBe('completed');
    });

    it('never moves a task that has ended', async () => {
      const done = await newTask();
      await store.claim(done, 1, Date.now());
      await store.complete(done, result);
      const canceled = await newTask();
      expect(await store.cancel(accountId, canceled)).toEqual({ hold_id: null });
      for (const id of [done, canceled]) {
        const before = await statusOf(id);
        expect(await store.claim(id, 2, Date.now())).toBe(false);
        expect(await store.complete(id, result)).toBe(false);
        expect(await store.fail(id, { message: 'late' })).toBe(false);
        expect(await store.cancel(accountId, id)).toBeUndefined();
        expect(await statusOf(id)).toBe(before);
      }
    });

    it('cancels only a submitted task of the canceling account', async () => {
      const running = await newTask();
      await store.claim(running, 1, Date.now());
      expect(await store.cancel(accountId, running)).toBeUndefined();
      const other = await newTask();
      expect(await store.cancel('acc_someone_else', other)).toBeUndefined();
      expect(await statusOf(other)).toBe('submitted');
      expect(await store.countOpen(accountId)).toBeGreaterThanOrEqual(2);
    });
  });
}
