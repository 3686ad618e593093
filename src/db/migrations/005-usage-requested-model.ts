import type { Kysely } from 'kysely';

/**
 * The model a client asked for, beside the model that served it: they differ once a model past
 * its shutdown is redirected to its replacement (catalog lifecycle). Null on older records.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('usage_records').addColumn('requested_model', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('usage_records').dropColumn('requested_model').execute();
}
