import { randomBytes } from 'node:crypto';
import os from 'node:os';
import pg from 'pg';
import PgBoss from 'pg-boss';

const JOBS = 3000;
const DATABASE_URL =
  process.env.PIXAPI_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * The pg-boss queue alone, no task work: JOBS no-op jobs drained by two pg-boss instances (as
 * two `pixapi worker` processes) of 8 workers each, at fetch sizes 1 (what Pixapi uses: a slow
 * provider call must not hold back a batch) and 8. Tells the queue's ceiling from the tasks'.
 */
async function drain(batchSize: number): Promise<number> {
  const schema = `pixapi_bench_q_${randomBytes(4).toString('hex')}`;
  const make = () =>
    new PgBoss({ connectionString: DATABASE_URL, schema, max: 4, supervise: false });
  const bosses = [make(), make()];
  try {
    for (const boss of bosses) await boss.start();
    await bosses[0]!.createQueue('bench');
    await bosses[0]!.insert(
      Array.from({ length: JOBS }, (_, i) => ({ name: 'bench', data: { i } })),
    );
    let done = 0;
    const started = performance.now();
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('queue did not drain in 120 s')), 120_000);
      for (const boss of bosses) {
        for (let w = 0; w < 8; w++) {
          const worker: { id?: string } = {};
          void boss
            .work('bench', { batchSize, pollingIntervalSeconds: 0.5 }, async (jobs) => {
              done += jobs.length;
              if (done >= JOBS) {
                clearTimeout(timer);
                resolve();
              }
              if (worker.id) boss.notifyWorker(worker.id);
            })
            .then((id) => (worker.id = id));
        }
      }
    });
    return JOBS / ((performance.now() - started) / 1000);
  } finally {
    for (const boss of bosses) await boss.stop({ graceful: false, wait: true });
    const admin = new pg.Client({ connectionString: DATABASE_URL });
    await admin.connect();
    await admin.query(`drop schema if exists ${schema} cascade`);
    await admin.end();
  }
}

export async function benchQueue(): Promise<void> {
  const rows: Array<[number, number]> = [];
  try {
    for (const batchSize of [1, 8]) rows.push([batchSize, await drain(batchSize)]);
  } catch (error) {
    console.log(`\n(pg-boss queue bench skipped: ${(error as Error).message})`);
    return;
  }
  console.log(
    `\n## pg-boss alone, ${JOBS} no-op jobs, 2 instances x 8 workers (${os.cpus().length} CPUs)\n`,
  );
  console.log('| fetch size | jobs/s |');
  console.log('| ---: | ---: |');
  for (const [batchSize, rate] of rows) console.log(`| ${batchSize} | ${rate.toFixed(0)} |`);
}
