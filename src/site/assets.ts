import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where `vite build` (web/vite.config.ts) writes the browser bundle. */
export const WEB_DIST = path.resolve(fileURLToPath(import.meta.url), '../../../dist/web');

/** The public pages' island script, and the dashboard's single-page app. */
export const SITE_ENTRY = 'src/client.tsx';
export const DASHBOARD_ENTRY = 'src/dashboard/main.tsx';

/** The hashed files of the browser bundle that every page links. */
export interface WebAssets {
  scripts: string[];
  styles: string[];
}

interface ManifestChunk {
  file: string;
  css?: string[];
  imports?: string[];
}

/** The stylesheets of a chunk and of the chunks it imports: Vite puts shared CSS on those. */
function stylesOf(
  manifest: Record<string, ManifestChunk>,
  key: string,
  seen = new Set<string>(),
): string[] {
  if (seen.has(key)) return [];
  seen.add(key);
  const chunk = manifest[key];
  if (!chunk) return [];
  const own: string[] = chunk.css ?? [];
  return [...own, ...(chunk.imports ?? []).flatMap((k) => stylesOf(manifest, k, seen))];
}

/**
 * Reads Vite's manifest. Undefined when the bundle was not built (`npm run build` builds it):
 * pages are then served unstyled, which is enough for tests that only read the API.
 */
export function loadWebAssets(
  entryName: string = SITE_ENTRY,
  dir: string = WEB_DIST,
): WebAssets | undefined {
  let manifest: Record<string, ManifestChunk>;
  try {
    manifest = JSON.parse(fs.readFileSync(path.join(dir, '.vite/manifest.json'), 'utf8')) as Record<
      string,
      ManifestChunk
    >;
  } catch {
    return undefined;
  }
  const entry = manifest[entryName];
  if (!entry) return undefined;
  return {
    scripts: [`/${entry.file}`],
    styles: [...new Set(stylesOf(manifest, entryName))].map((file) => `/${file}`),
  };
}
