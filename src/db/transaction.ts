import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

declare const transactionBrand: unique symbol;

/**
 * A database transaction as layers above the data layer see it: a value to pass along (the
 * use case hands it to the route so that the idempotency record commits with the charge), not
 * a query builder. Only modules that own tables open it again, with `queryIn`.
 */
export interface TransactionHandle {
  readonly [transactionBrand]: 'TransactionHandle';
}

/** Wraps an open transaction (or the database itself) for passing through other layers. */
export function handleOf(executor: Kysely<Database>): TransactionHandle {
  return executor as unknown as TransactionHandle;
}

/** The query builder behind a handle; for table owners (db/ and the repositories) only. */
export function queryIn(handle: TransactionHandle): Kysely<Database> {
  return handle as unknown as Kysely<Database>;
}
