import { loadConfig } from '../../config.js';
import { openDatabase } from '../../db/connection.js';
import { migrateToLatest } from '../../db/migrate.js';
import type { Output } from '../output.js';

export async function migrate(_options: unknown, out: Output): Promise<void> {
  const db = openDatabase(loadConfig().database);
  try {
    const applied = await migrateToLatest(db);
    out.result({ applied }, [applied.length ? `Applied: ${applied.join(', ')}` : 'Up to date.']);
  } finally {
    await db.close();
  }
}
