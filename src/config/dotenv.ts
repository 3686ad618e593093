import fs from 'node:fs';
import path from 'node:path';

/**
 * Loads `.env` from the working directory into the environment when the file exists, as
 * `npm start` and `bin/pixapi` do before reading the configuration. Variables already set in
 * the real environment win (Node's `process.loadEnvFile` never overwrites them).
 *
 * @returns the file loaded, or undefined when there is none
 */
export function loadDotEnv(dir: string = process.cwd()): string | undefined {
  const file = path.join(dir, '.env');
  if (!fs.existsSync(file)) return undefined;
  process.loadEnvFile(file);
  return file;
}
