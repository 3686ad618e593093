import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { invalid } from './errors.js';
import type { FakeError } from './errors.js';
import type { Json } from './types.js';

/** OpenAI's published request schemas, compiled with Ajv, and OpenAI's 400s for what they refuse. */

export const DEFAULT_SCHEMA = fileURLToPath(
  new URL('../../fixtures/openai-images.openapi.json', import.meta.url),
);

/** OpenAPI 3.0's `nullable` as JSON Schema 2020-12 (Ajv refuses `nullable` without `type`). */
function normalizeNullable(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(normalizeNullable);
  if (typeof node !== 'object' || node === null) return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node)) out[k] = normalizeNullable(v);
  if (out.nullable === true) {
    delete out.nullable;
    if (typeof out.type === 'string') {
      out.type = [out.type, 'null'];
      if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
    } else if (Array.isArray(out.anyOf)) {
      out.anyOf = [...out.anyOf, { type: 'null' }];
    }
  }
  return out;
}

export interface Validators {
  generation: ValidateFunction;
  editForm: ValidateFunction;
  editJson: ValidateFunction;
}

export function loadValidators(path: string): Validators {
  const doc = JSON.parse(readFileSync(path, 'utf8')) as {
    components: { schemas: Record<string, Json> };
  };
  const components = normalizeNullable(doc.components) as { schemas: Record<string, Json> };
  for (const name of ['CreateImageRequest', 'CreateImageEditRequest', 'EditImageBodyJsonParam']) {
    components.schemas[name]!.additionalProperties = false;
  }
  const make = (coerceTypes: boolean) => {
    const ajv = new Ajv2020.default({ strict: false, allErrors: true, coerceTypes });
    for (const format of ['binary', 'unixtime', 'uri']) ajv.addFormat(format, true);
    ajv.addSchema({ $id: 'openai-images', components });
    return (name: string) => ajv.getSchema(`openai-images#/components/schemas/${name}`)!;
  };
  const json = make(false);
  // Multipart text parts are strings: coerce them as OpenAI's server does.
  const form = make(true);
  return {
    generation: json('CreateImageRequest'),
    editForm: form('CreateImageEditRequest'),
    editJson: json('EditImageBodyJsonParam'),
  };
}

export function schemaError(errors: ErrorObject[] | null | undefined): FakeError {
  const all = errors ?? [];
  const unknown = all.find((e) => e.keyword === 'additionalProperties');
  if (unknown) {
    const name = String(unknown.params.additionalProperty);
    return invalid(`Unknown parameter: '${name}'.`, name, 'unknown_parameter');
  }
  const missing = all.find((e) => e.keyword === 'required');
  if (missing) {
    const name = String(missing.params.missingProperty);
    return invalid(`Missing required parameter: '${name}'.`, name, 'missing_required_parameter');
  }
  const first = all.find((e) => e.keyword !== 'anyOf') ?? all[0];
  const param = first?.instancePath.split('/')[1] ?? null;
  if (first?.keyword === 'type') {
    return invalid(
      `Invalid type for '${param}': expected ${String(first.params.type)}.`,
      param,
      'invalid_type',
    );
  }
  if (first?.keyword === 'enum') {
    const values = (first.params.allowedValues as unknown[]).filter((v) => v !== null);
    return invalid(
      `Invalid value. Supported values are: ${values.map((v) => `'${String(v)}'`).join(', ')}.`,
      param,
      'invalid_value',
    );
  }
  return invalid(
    `Invalid '${param}': ${first?.message ?? 'invalid value'}.`,
    param,
    'invalid_value',
  );
}
