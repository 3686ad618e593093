import type { Db } from '../db/connection.js';

/** Tasks waiting to run and running now, for readiness. */
export interface QueueDepth {
  submitted: number;
  processing: number;
}

export async function queueDepth(db: Db): Promise<QueueDepth> {
  const rows = await db.kysely
    .selectFrom('tasks')
    .select(['status', (eb) => eb.fn.countAll<string | number>().as('n')])
    .where('status', 'in', ['submitted', 'processing'])
    .groupBy('status')
    .execute();
  const count = (status: string) => Number(rows.find((r) => r.status === status)?.n ?? 0);
  return { submitted: count('submitted'), processing: count('processing') };
}
