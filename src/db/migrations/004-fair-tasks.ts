import type { Kysely } from 'kysely';

/**
 * Fair task scheduling across accounts. A task job's priority is minus the number of open tasks
 * its account already had when it was submitted, and workers take the highest priority first:
 * one account's backlog then interleaves with another's instead of delaying it (round robin by
 * submission rank). pg-boss has its own `priority` column; `queue_jobs` gets one here (the open
 * tasks of an account are counted through `tasks_account_status`, migration 003).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('queue_jobs')
    .addColumn('priority', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createIndex('queue_jobs_fair')
    .on('queue_jobs')
    .columns(['priority desc', 'run_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('queue_jobs_fair').execute();
  await db.schema.alterTable('queue_jobs').dropColumn('priority').execute();
}
