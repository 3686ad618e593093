import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configVariables, loadConfig } from '../config.js';
import { providerDefinitions } from '../providers/registry.js';
import { withProviderSection } from './env-example.js';

const file = new URL('../../.env.example', import.meta.url);
const text = fs.readFileSync(file, 'utf8');

/** The `NAME=value` lines of the file, in order. */
const assignments = text
  .split('\n')
  .filter((line) => /^[A-Z][A-Z0-9_]*=/.test(line))
  .map((line) => {
    const eq = line.indexOf('=');
    return { name: line.slice(0, eq), value: line.slice(eq + 1) };
  });

const providerVariables = new Set(
  providerDefinitions.flatMap((d) => Object.values(d.env).map((v) => v.name)),
);

describe('.env.example', () => {
  it("has the provider section written from the providers' declarations", () => {
    // On failure: `npm run env:example` rewrites it.
    expect(text).toBe(withProviderSection(text, providerDefinitions));
  });

  it('lists every variable the configuration reads, once, and no other', () => {
    const listed = assignments.map((a) => a.name);
    expect([...listed].sort()).toEqual([...configVariables].sort());
    expect(new Set(listed).size).toBe(listed.length);
  });

  it("gives each of the server's variables its default value (or none)", () => {
    const defaults = loadConfig({});
    for (const { name, value } of assignments) {
      // Provider values are written from their declared defaults (the first test).
      if (providerVariables.has(name)) continue;
      expect({ name, config: loadConfig({ [name]: value }) }).toEqual({ name, config: defaults });
    }
  });
});
