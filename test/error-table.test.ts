import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../src/errors.js';

interface DocumentedCode {
  status: number;
  type: string;
}

/** The codes of docs/api.md's error table: each backticked name in a row's codes column. */
function documentedCodes(): Map<string, DocumentedCode[]> {
  const markdown = readFileSync(new URL('../docs/api.md', import.meta.url), 'utf8');
  const section = markdown.split('\n## Errors\n')[1]?.split('\n## ')[0] ?? '';
  const codes = new Map<string, DocumentedCode[]>();
  for (const line of section.split('\n')) {
    const row = /^\|\s*(\d{3})\s*\|\s*`([a-z_]+)`\s*\|(.*)\|\s*$/.exec(line);
    if (!row) continue;
    const [, status, type, cell] = row as unknown as [string, string, string, string];
    for (const [, code] of cell.matchAll(/`([a-z_]+)`/g)) {
      const seen = codes.get(code!) ?? [];
      seen.push({ status: Number(status), type });
      codes.set(code!, seen);
    }
  }
  return codes;
}

describe("docs/api.md's error table", () => {
  const documented = documentedCodes();

  it('lists every code once, with the status and type the server answers with', () => {
    const expected = Object.entries(ERROR_CODES).map(([code, spec]) => [
      code,
      [{ status: spec.status, type: spec.type }],
    ]);
    const actual = Object.keys(ERROR_CODES).map((code) => [code, documented.get(code)]);
    expect(actual).toEqual(expected);
  });

  it('lists no code the server does not have', () => {
    const stale = [...documented.keys()].filter((code) => !(code in ERROR_CODES));
    expect(stale).toEqual([]);
  });
});
