import { setTimeout as sleep } from 'node:timers/promises';
import { api } from './server.js';

export type Task = Record<string, unknown> & { id: string; status: string };

const FINAL = new Set(['completed', 'failed', 'canceled']);

/** Polls a task until it ends (bounded: gives up after `timeoutMs`). */
export async function waitForTask(
  base: string,
  key: string,
  id: string,
  timeoutMs = 20_000,
): Promise<Task> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await api<Task>(base, 'GET', `/v1/tasks/${id}`, { key });
    if (FINAL.has(res.body.status)) return res.body;
    if (Date.now() > deadline) throw new Error(`task ${id} still ${res.body.status}`);
    await sleep(100);
  }
}

/** Polls until `check` holds (bounded). */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(100);
  }
}
