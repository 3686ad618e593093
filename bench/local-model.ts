import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { loadConfig } from '../src/config.js';
import { generateApiKey } from '../src/security/api-keys.js';
import { startServer } from '../src/server.js';
import { load, printTable } from './lib.js';

/** Sync generations with the built-in local model through the whole stack (auth, ledger, storage). */
export async function benchLocalModel(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pixapi-bench-'));
  const adminKey = generateApiKey().plaintext;
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    PIXAPI_DATA_DIR: dataDir,
    PIXAPI_LOG_LEVEL: 'warn',
    PIXAPI_ADMIN_KEY: adminKey,
  });
  // Requests still in flight when a load ends fail as the server closes: not worth printing.
  const server = await startServer(config, { log: pino({ level: 'fatal' }) });
  const account = await server.services.accounts.create({
    name: 'bench',
    credits: 100_000_000 * 1000,
  });
  const headers = { authorization: `Bearer ${account.apiKey}`, 'content-type': 'application/json' };
  try {
    const rows = [];
    const statements: string[] = [];
    for (const size of ['64x64', '1024x1024']) {
      const before = server.services.db.statementsRun() ?? 0;
      const result = await load({
        name: `local-placeholder ${size}, url`,
        url: `${server.url}/v1/images/generations`,
        headers,
        body: JSON.stringify({ model: 'local-placeholder', prompt: 'benchmark', size }),
      });
      rows.push(result);
      const run = (server.services.db.statementsRun() ?? 0) - before;
      // Requests still in flight when the load stops add a few statements: an upper bound.
      statements.push(
        `${size}: ${(run / Math.max(result.totalRequests, 1)).toFixed(1)} SQL statements per request`,
      );
    }
    rows.push(
      await load({
        name: 'GET /v1/models (no generation)',
        url: `${server.url}/v1/models`,
        method: 'GET',
      }),
    );
    printTable(`Local model, SQLite, 32 connections (${os.cpus().length} CPUs)`, rows);
    console.log(`\n${statements.join('; ')} (transaction control included)`);
  } finally {
    await server.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
