import fs from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';

/**
 * Validators for OpenAI's published Images API schemas (test/fixtures, a copy of the extract of
 * openai/openai-openapi, MIT), so that tests check our bodies against the real contract.
 */
const document = JSON.parse(
  fs.readFileSync(new URL('../fixtures/openai-images.openapi.json', import.meta.url), 'utf8'),
) as { components: { schemas: Record<string, { properties?: Record<string, unknown> }> } };

// Pixapi echoes every produced size (issue #9), beyond the three of OpenAI's enum: the field
// stays a WIDTHxHEIGHT string, which is how OpenAI's SDKs type and read it.
document.components.schemas.ImagesResponse!.properties!.size = {
  type: 'string',
  pattern: '^[0-9]+x[0-9]+$',
};

const ajv = new Ajv2020({ strict: false, allErrors: true });
ajv.addFormat('unixtime', true);
ajv.addFormat('binary', true);
ajv.addFormat('uri', (value: string) => /^https?:\/\/\S+$/.test(value));
ajv.addSchema({ $id: 'openai', components: document.components });

export function validateAgainst(schema: string, value: unknown): string[] {
  const validate = ajv.getSchema(`openai#/components/schemas/${schema}`);
  if (!validate) throw new Error(`no schema ${schema}`);
  return validate(value)
    ? []
    : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}
