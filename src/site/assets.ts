import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where `vite build` (web/vite.config.ts) writes the browser bundle. */
export const WEB_DIST = path.resolve(fileURLToPath(import.meta.url), '../../../dist/web');

const ENTRY = 'src/client.tsx';

/** The hashed files of the browser bundle that every page links. */
export interface WebAssets {
  scripts: string[];
  styles: string[];
}

interface ManifestChunk {
  file: string;
  css?: string[];
}

/**
 * Reads Vite's manifest. Undefined when the bundle was not built (`npm run build` builds it):
 * pages are then served unstyled, which is enough for tests that only read the API.
 */
export function loadWebAssets(dir: string = WEB_DIST): WebAssets | undefined {
  let manifest: Record<string, ManifestChunk>;
  try {
    manifest = JSON.parse(fs.readFileSync(path.join(dir, '.vite/manifest.json'), 'utf8')) as Record<
      string,
      ManifestChunk
    >;
  } catch {
    return undefined;
  }
  const entry = manifest[ENTRY];
  if (!entry) return undefined;
  return { scripts: [`/${entry.file}`], styles: (entry.css ?? []).map((file) => `/${file}`) };
}
