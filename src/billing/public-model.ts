// A priced view of catalog data: it lives with pricing because the catalog (data) imports
// nothing from billing; billing reads the catalog.
import type { Catalog } from '../catalog/catalog.js';
import { publicLifecycle } from '../catalog/lifecycle.js';
import type { ModelSpec } from '../catalog/schema.js';
import { describeSizes } from '../catalog/sizes.js';
import { toCredits } from '../credits.js';
import { priceTable } from './price-table.js';
import { lowestPrice } from './pricing.js';

const ENDPOINTS = {
  'text-to-image': ['/v1/images/generations', '/v1/async/images/generations'],
  'image-to-image': ['/v1/images/edits', '/v1/async/images/edits'],
} as const;

/**
 * A model as `GET /v1/models` shows it: OpenAI's fields plus Pixapi's additive ones. The
 * lifecycle fields (`status`, `deprecated_at`, `shutdown_date`, `replacement`,
 * `after_shutdown`, `source`) are evaluated at the catalog's clock, so model pages can show
 * "deprecated, shuts down on ..., use ... instead" as it stands today.
 */
export function publicModel(model: ModelSpec, catalog: Catalog) {
  const serving = catalog.serving(model);
  // What a request is charged: a redirected model is served, and priced, by its replacement.
  const priced = serving ?? model;
  return {
    id: model.id,
    object: 'model' as const,
    created: model.created,
    owned_by: model.owned_by,
    name: model.name,
    description: model.description,
    aliases: model.aliases,
    provider: model.routes[0]!.provider,
    capabilities: model.capabilities,
    endpoints: model.capabilities.flatMap((c) => ENDPOINTS[c]),
    pricing: {
      unit: 'image' as const,
      source: priced.pricing.source ?? null,
      from_credits: toCredits(lowestPrice(priced.pricing.rules)),
      rules: priced.pricing.rules.map((r) => ({ ...r, credits: toCredits(r.credits) })),
      ...priceTable(priced),
    },
    sizes: ['auto', ...model.sizes.list.map((s) => s.size)],
    ...(model.sizes.free ? { size_constraints: model.sizes.free } : {}),
    qualities: model.qualities,
    output_formats: model.output_formats,
    backgrounds: model.backgrounds,
    max_n: model.max_n,
    stream: model.stream,
    ...publicLifecycle(model, catalog.now()),
    /** The model that answers requests for this id now (another one after a redirect). */
    served_by: serving?.id ?? null,
    // A retired model without a redirect serves nothing; a redirected one serves if its
    // replacement can.
    available: serving ? catalog.isAvailable(serving) : false,
  };
}

/** One model with what a developer needs to call it (`GET /v1/models/{id}`). */
export function publicModelDetail(model: ModelSpec, catalog: Catalog) {
  const edits = model.capabilities.includes('image-to-image');
  const examples = [
    {
      title: 'Generate an image',
      endpoint: 'POST /v1/images/generations',
      body: { model: model.id, prompt: 'A lighthouse at dawn, soft light', size: 'auto' },
    },
    ...(edits
      ? [
          {
            title: 'Edit an image',
            endpoint: 'POST /v1/images/edits',
            body: { model: model.id, prompt: 'Make it snow', image: 'https://example.com/in.png' },
          },
        ]
      : []),
  ];
  return {
    ...publicModel(model, catalog),
    required_fields: ['model', 'prompt'],
    optional_fields: [
      'n',
      'size',
      'quality',
      'background',
      'output_format',
      'output_compression',
      'response_format',
      'moderation',
      'seed',
      'user',
      'metadata',
      ...model.passthrough,
    ],
    returned_fields: [
      'created',
      'data[].url',
      'data[].b64_json',
      'data[].revised_prompt',
      'billing',
      'usage',
    ],
    docs: {
      description: model.description,
      lifecycle: describeLifecycle(model, catalog),
      sizes: describeSizes(model.sizes),
      examples,
    },
  };
}

/** One sentence on where the model stands, for model pages; null while it is active. */
function describeLifecycle(model: ModelSpec, catalog: Catalog): string | null {
  const status = catalog.status(model);
  if (status === 'active') return null;
  const instead = model.replacement ? ` Use ${model.replacement} instead.` : '';
  if (status === 'deprecated') {
    const when = model.shutdown_date ? ` and shuts down on ${model.shutdown_date}` : '';
    return `Deprecated by its provider${when}.${instead}`;
  }
  const since = model.shutdown_date ? ` on ${model.shutdown_date}` : '';
  return model.after_shutdown === 'redirect' && model.replacement
    ? `Shut down by its provider${since}: requests are served by ${model.replacement} at its price.`
    : `Shut down by its provider${since}: requests answer 410 model_retired.${instead}`;
}
