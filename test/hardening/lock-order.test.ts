import type { KyselyPlugin, RootOperationNode } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startTestServer, type TestServer } from '../helpers/server.js';
import { waitForTask } from '../helpers/tasks.js';

/** Records the writes to the rows every charge locks on PostgreSQL until its commit. */
class HotRowWrites implements KyselyPlugin {
  readonly seen: string[] = [];
  transformQuery({ node }: { node: RootOperationNode }): RootOperationNode {
    const table = /"kind":"IdentifierNode","name":"([^"]+)"/.exec(JSON.stringify(node))?.[1];
    const write = `${node.kind.replace('QueryNode', '').toLowerCase()} ${table}`;
    if (['update account_balances', 'insert spend_by_day', 'insert usage_by_day'].includes(write)) {
      this.seen.push(write);
    }
    return node;
  }
  async transformResult<T>({ result }: { result: T }): Promise<T> {
    return result;
  }
}

/**
 * A sync request and a task of one key settle in transactions that lock the account's
 * balance row, the key's spend row of the day and the day's usage row of the model. Taken in
 * opposite orders, the two deadlock on PostgreSQL (one is aborted); every settlement takes
 * them in this order.
 */
describe('the rows a charge locks are taken in one order', () => {
  let server: TestServer;
  let key: string;
  const writes = new HotRowWrites();
  beforeAll(async () => {
    server = await startTestServer();
    key = (await server.account(100)).apiKey;
    const db = server.services.db;
    db.kysely = db.kysely.withPlugin(writes);
  });
  afterAll(async () => server?.close());

  const body = { model: 'local-placeholder', prompt: 'order', size: '32x32' };

  it('by a sync generation: hold, then capture before the day’s spend', async () => {
    writes.seen.length = 0;
    expect((await api(server.url, 'POST', '/v1/images/generations', { key, body })).status).toBe(
      200,
    );
    expect(writes.seen).toEqual([
      'update account_balances',
      'update account_balances',
      'insert spend_by_day',
      'insert usage_by_day',
    ]);
  });

  it('by a task: the same order at completion', async () => {
    writes.seen.length = 0;
    const submitted = await api<{ id: string }>(
      server.url,
      'POST',
      '/v1/async/images/generations',
      { key, body },
    );
    expect((await waitForTask(server.url, key, submitted.body.id)).status).toBe('completed');
    expect(writes.seen).toEqual([
      'update account_balances',
      'update account_balances',
      'insert spend_by_day',
      'insert usage_by_day',
    ]);
  });
});
