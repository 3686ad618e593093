import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startTestServer, type TestServer } from './helpers/server.js';

/**
 * The database work of one sync generation, counted in SQLite statements (transaction control
 * included): a cap that fails when a change adds a round trip to every request. Counted, never
 * timed; the bench measures time.
 */
describe('statements per sync generation (SQLite)', () => {
  let server: TestServer;
  let key: string;
  beforeAll(async () => {
    // No task worker: its queue polling would be counted with the request.
    server = await startTestServer({ dialect: 'sqlite', workers: false });
    key = (await server.account(1000)).apiKey;
  });
  afterAll(async () => server?.close());

  async function statementsFor(headers: Record<string, string> = {}) {
    const before = server.services.db.statementsRun()!;
    const answer = await api(server.url, 'POST', '/v1/images/generations', {
      key,
      headers,
      body: { model: 'local-placeholder', prompt: 'count', size: '32x32' },
    });
    expect(answer.status).toBe(200);
    return server.services.db.statementsRun()! - before;
  }

  // Auth select; hold: begin, insert hold, reserve on the balance row, commit; asset insert;
  // settle: begin, capture hold, ledger row, balance row (returning the new balance), usage
  // row, the day's spend (budgets read it instead of summing the month's usage), the day's usage
  // of the model (the daily chart reads it instead of summing the records), commit. (15
  // before the balance rows: the hold locked the account and summed two histories, and the
  // settlement summed them again for the balance it answers.)
  it('without an Idempotency-Key: 14', async () => {
    await statementsFor();
    expect(await statementsFor()).toBeLessThanOrEqual(14);
  });

  // Plus the key's claim (insert) and its response (update, inside the settle transaction).
  it('with an Idempotency-Key: 16', async () => {
    await statementsFor({ 'idempotency-key': 'warm-up' });
    expect(await statementsFor({ 'idempotency-key': 'counted' })).toBeLessThanOrEqual(16);
  });
});
