import fs from 'node:fs';
import { withProviderSection } from '../src/config/env-example.js';
import { providerDefinitions } from '../src/providers/registry.js';

/** `npm run env:example`: rewrites the provider section of `.env.example` from the declarations. */
const file = new URL('../.env.example', import.meta.url);
const current = fs.readFileSync(file, 'utf8');
const next = withProviderSection(current, providerDefinitions);
if (next === current) {
  console.log('.env.example is up to date');
} else {
  fs.writeFileSync(file, next);
  console.log('.env.example: provider section rewritten');
}
