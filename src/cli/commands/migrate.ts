import { loadConfig } from '../../config.js';
import { migrate as applyMigrations } from '../context.js';
import type { Output } from '../output.js';

export async function migrate(_options: unknown, out: Output): Promise<void> {
  const applied = await applyMigrations(loadConfig(), out);
  out.result({ applied }, [applied.length ? `Applied: ${applied.join(', ')}` : 'Up to date.']);
}
