import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';
import { builtinModels } from './builtin.js';
import { dayStart } from './lifecycle.js';
import { modelSchema, type ModelInput, type ModelSpec } from './schema.js';
import { resolveSize } from './sizes.js';

export class CatalogError extends Error {
  override name = 'CatalogError';
}

const fileSchema = z.object({ models: z.array(z.record(z.string(), z.unknown())) }).strict();

function describeIssues(where: string, error: z.ZodError): string {
  return error.issues
    .map((i) => `${where}${i.path.length ? '.' + i.path.join('.') : ''}: ${i.message}`)
    .join('; ');
}

function readFile(file: string): Array<Record<string, unknown>> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new CatalogError(`PIXAPI_CATALOG: cannot read ${file}: ${(error as Error).message}`);
  }
  let data: unknown;
  try {
    data = path.extname(file) === '.json' ? JSON.parse(text) : YAML.parse(text);
  } catch (error) {
    throw new CatalogError(
      `PIXAPI_CATALOG: ${file} is not valid YAML/JSON: ${(error as Error).message}`,
    );
  }
  const parsed = fileSchema.safeParse(data);
  if (!parsed.success) {
    throw new CatalogError(`PIXAPI_CATALOG (${file}): ${describeIssues('', parsed.error)}`);
  }
  return parsed.data.models;
}

function checkModel(model: ModelSpec, where: string, providers: ReadonlySet<string>): void {
  for (const route of model.routes) {
    if (!providers.has(route.provider)) {
      throw new CatalogError(
        `${where}: unknown provider "${route.provider}" (known: ${[...providers].join(', ')})`,
      );
    }
  }
  if (!resolveSize(model.sizes, 'auto')) {
    throw new CatalogError(
      `${where}.sizes.auto: ${model.sizes.auto} is not one of the model's sizes`,
    );
  }
}

/** An upgrade path must lead to another model of the catalog, or the page would link nowhere. */
function checkUpgrade(model: ModelSpec, where: string, names: ReadonlyMap<string, string>): void {
  const target = model.page.upgrade_to;
  if (target !== undefined && (!names.has(target) || names.get(target) === model.id)) {
    throw new CatalogError(`${where}.page.upgrade_to: "${target}" is not another model`);
  }
}

/** A replacement must be a model of the catalog; a redirect needs one. */
function checkLifecycle(model: ModelSpec, where: string, names: ReadonlyMap<string, string>): void {
  if (model.replacement !== undefined && !names.has(model.replacement)) {
    throw new CatalogError(
      `${where}.replacement: "${model.replacement}" is not a model of the catalog`,
    );
  }
  if (model.replacement === model.id) {
    throw new CatalogError(`${where}.replacement: a model cannot replace itself`);
  }
  if (model.after_shutdown === 'redirect' && model.replacement === undefined) {
    throw new CatalogError(`${where}.after_shutdown: redirect needs a replacement`);
  }
  if (
    model.deprecated_at &&
    model.shutdown_date &&
    dayStart(model.shutdown_date) < dayStart(model.deprecated_at)
  ) {
    throw new CatalogError(`${where}.shutdown_date: earlier than deprecated_at`);
  }
}

/**
 * The built-in catalog with the operator's file applied: an entry whose `id` is a built-in
 * model overrides the fields it names; any other entry adds a model and must be complete.
 * Everything is validated here, at start, with messages that name the file and the field.
 */
export function loadCatalog(options: { file?: string; providers: Iterable<string> }): ModelSpec[] {
  const providers = new Set(options.providers);
  const inputs = new Map<string, { input: ModelInput | Record<string, unknown>; where: string }>();
  builtinModels.forEach((m, i) => inputs.set(m.id, { input: m, where: `built-in models[${i}]` }));

  if (options.file) {
    readFile(options.file).forEach((entry, i) => {
      const where = `PIXAPI_CATALOG (${options.file}) models[${i}]`;
      const id = typeof entry.id === 'string' ? entry.id : undefined;
      const base = id ? inputs.get(id) : undefined;
      inputs.set(id ?? `#${i}`, { input: base ? { ...base.input, ...entry } : entry, where });
    });
  }

  const models: Array<{ model: ModelSpec; where: string }> = [];
  const names = new Map<string, string>();
  for (const { input, where } of inputs.values()) {
    const parsed = modelSchema.safeParse(input);
    if (!parsed.success) throw new CatalogError(describeIssues(where, parsed.error));
    const model = parsed.data;
    checkModel(model, where, providers);
    for (const name of [model.id, ...model.aliases]) {
      const owner = names.get(name);
      if (owner && owner !== model.id) {
        throw new CatalogError(`${where}: "${name}" is already the id or alias of ${owner}`);
      }
      names.set(name, model.id);
    }
    models.push({ model, where });
  }
  for (const { model, where } of models) {
    checkLifecycle(model, where, names);
    checkUpgrade(model, where, names);
  }
  return models.map((m) => m.model);
}
