import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type Db, type SqliteOptions } from '../../src/db/connection.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { createTestSchema } from './postgres.js';
import type { Dialect } from './server.js';

/**
 * A migrated, empty database of either dialect, removed on close. `sqlite` options are those of
 * `openDatabase` (the bench opens SQLite with the server's background checkpoints).
 */
export async function openTestDatabase(
  dialect: Dialect,
  sqlite: SqliteOptions = {},
): Promise<{ db: Db; close(): Promise<void> }> {
  if (dialect === 'postgres') {
    const schema = await createTestSchema();
    const db = openDatabase({ kind: 'postgres', url: schema.url }, { maxConnections: 20 });
    await migrateToLatest(db);
    return {
      db,
      close: async () => {
        await db.close();
        await schema.drop();
      },
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pixapi-db-'));
  const db = openDatabase({ kind: 'sqlite', file: path.join(dir, 'test.sqlite') }, sqlite);
  await migrateToLatest(db);
  return {
    db,
    close: async () => {
      await db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
