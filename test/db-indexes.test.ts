import { CompiledQuery, type Compilable } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../src/db/connection.js';
import { openTestDatabase } from './helpers/database.js';

/**
 * The lookups made per request or per dashboard page go through an index, not a walk over an
 * account's history (SQLite's plan; PostgreSQL's depends on table statistics).
 */
describe('query plans on SQLite', () => {
  let handle: { db: Db; close(): Promise<void> };
  beforeAll(async () => {
    handle = await openTestDatabase('sqlite');
  });
  afterAll(async () => handle?.close());

  async function plan(query: Compilable) {
    const { sql, parameters } = query.compile();
    const result = await handle.db.kysely.executeQuery<{ detail: string }>(
      CompiledQuery.raw(`explain query plan ${sql}`, [...parameters]),
    );
    return result.rows.map((r) => r.detail).join('\n');
  }

  it('balance of an account: one row by primary key', async () => {
    const k = handle.db.kysely;
    expect(
      await plan(k.selectFrom('account_balances').selectAll().where('account_id', '=', 'acc_x')),
    ).toMatch(/USING INDEX sqlite_autoindex_account_balances/);
  });

  it('tasks of an account by status, newest first', async () => {
    const k = handle.db.kysely;
    const query = k
      .selectFrom('tasks')
      .selectAll()
      .where('account_id', '=', 'acc_x')
      .where('status', '=', 'submitted')
      .orderBy('id', 'desc')
      .limit(2);
    expect(await plan(query)).toMatch(/USING INDEX tasks_account_status/);
  });

  it('usage of an account over a time range', async () => {
    const k = handle.db.kysely;
    const query = k
      .selectFrom('usage_records')
      .select(['id'])
      .where('account_id', '=', 'acc_x')
      .where('created_at', '>=', 1)
      .where('created_at', '<', 2);
    // Either index starting with (account_id, created_at) serves it.
    expect(await plan(query)).toMatch(/USING (COVERING )?INDEX usage_records_(account_time|daily)/);
  });

  it('the usage log filtered by a status, newest first', async () => {
    const k = handle.db.kysely;
    const query = k
      .selectFrom('usage_records')
      .selectAll()
      .where('account_id', '=', 'acc_x')
      .where('status', '=', 'failed')
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(51);
    expect(await plan(query)).toMatch(/USING INDEX usage_records_account_status/);
  });

  it('the daily chart reads its own rows by their key, not the usage records', async () => {
    const k = handle.db.kysely;
    const query = k
      .selectFrom('usage_by_day')
      .select(['day', 'model', 'requests', 'images', 'credits'])
      .where('account_id', '=', 'acc_x')
      .where('day', '>=', 1)
      .orderBy('day')
      .orderBy('model');
    expect(await plan(query)).toMatch(
      /USING INDEX sqlite_autoindex_usage_by_day_1 \(account_id=\? AND day>\?\)/,
    );
  });
});
