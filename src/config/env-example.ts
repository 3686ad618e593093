import type { DeclaredProvider } from '../providers/types.js';
import { exampleValue } from './env-spec.js';

/**
 * `.env.example`'s provider section, written from the providers' declarations so that it
 * cannot drift from what config.ts reads. The sections above it are written by hand (they group
 * and explain the server's own variables); env-example.test.ts checks they are complete.
 */

/** The first line of the generated section: everything from it to the end is replaced. */
export const PROVIDER_SECTION_START = '# Providers';

export function providerSection(definitions: readonly DeclaredProvider[]): string {
  const blocks = definitions.map((d) => {
    const lines = [`# ${d.name}: ${d.description}`];
    for (const v of Object.values(d.env)) {
      lines.push(`# ${v.description}${v.secret ? ' (secret)' : ''}`);
      lines.push(`${v.name}=${exampleValue(v)}`);
    }
    return lines.join('\n');
  });
  return [
    `${PROVIDER_SECTION_START} (a model whose provider has no key is listed as unavailable). This`,
    "# section is generated from each provider's declaration (src/providers/<name>/index.ts):",
    '# run `npm run env:example` after changing one.',
    '',
    blocks.join('\n\n'),
    '',
  ].join('\n');
}

/** The file with its provider section (re)written; the rest is kept as it is. */
export function withProviderSection(
  current: string,
  definitions: readonly DeclaredProvider[],
): string {
  const start = current.indexOf(`\n${PROVIDER_SECTION_START}`);
  const head = start === -1 ? `${current.trimEnd()}\n` : current.slice(0, start + 1);
  return `${head}${providerSection(definitions)}`;
}
