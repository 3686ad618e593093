import { toCredits } from '../../credits.js';
import { lowestPrice } from '../../billing/pricing.js';
import type { Catalog } from '../../catalog/catalog.js';
import { publicModelDetail } from '../../billing/public-model.js';
import type { ModelSpec } from '../../catalog/schema.js';
import { publicLifecycle } from '../../catalog/lifecycle.js';
import { describeSizes } from '../../catalog/sizes.js';
import { localize, type Locale, type Translate } from '../i18n/locale.js';
import { formatCredits } from './cards.js';
import { codeSamples, type CodeSample } from './samples.js';

export interface PriceRow {
  qualities: string[] | undefined;
  tiers: string[] | undefined;
  /** The listed sizes of the tiers, to say what "2K" means. */
  sizes: string[];
  credits: number;
}

export interface RelatedModel {
  id: string;
  name: string;
  fromCredits: number;
}

/** The model's lifecycle (#17) as the page states it; undefined while the model is active. */
export interface LifecycleView {
  status: 'deprecated' | 'retired';
  deprecatedAt: string | null;
  shutdownDate: string | null;
  replacement: RelatedModel | undefined;
  afterShutdown: 'retire' | 'redirect';
  source: string | null;
}

/** Everything a model page (HTML or Markdown) shows, in the page language. */
export interface ModelView {
  id: string;
  name: string;
  description: string;
  aliases: string[];
  provider: string;
  tags: string[];
  capabilities: string[];
  fromCredits: number;
  available: boolean;
  missingVariable: string;
  priceRows: PriceRow[];
  endpoints: string[];
  requiredFields: string[];
  returnedFields: string[];
  sizes: string;
  qualities: string[];
  formats: string[];
  maxN: number;
  stream: boolean;
  samples: CodeSample[];
  features: string[];
  useCases: string[];
  faq: Array<{ q: string; a: string }>;
  related: RelatedModel[];
  upgrade: RelatedModel | undefined;
  lifecycle: LifecycleView | undefined;
}

function related(model: ModelSpec): RelatedModel {
  return {
    id: model.id,
    name: model.name,
    fromCredits: toCredits(lowestPrice(model.pricing.rules)),
  };
}

/** Same provider first, then same capabilities; at most four. */
function relatedModels(model: ModelSpec, all: readonly ModelSpec[]): RelatedModel[] {
  const provider = model.routes[0]!.provider;
  const score = (other: ModelSpec) =>
    (other.routes[0]!.provider === provider ? 2 : 0) +
    (other.capabilities.join() === model.capabilities.join() ? 1 : 0);
  return all
    .filter((other) => other.id !== model.id && score(other) > 0)
    .sort((a, b) => score(b) - score(a))
    .slice(0, 4)
    .map(related);
}

function lifecycleView(model: ModelSpec, catalog: Catalog): LifecycleView | undefined {
  const facts = publicLifecycle(model, catalog.now());
  if (facts.status === 'active') return undefined;
  const replacement = facts.replacement ? catalog.find(facts.replacement) : undefined;
  return {
    status: facts.status,
    deprecatedAt: facts.deprecated_at,
    shutdownDate: facts.shutdown_date,
    replacement: replacement ? related(replacement) : undefined,
    afterShutdown: facts.after_shutdown,
    source: facts.source,
  };
}

/** What happens to requests for the model: after its shutdown, or now that it is retired. */
export function shutdownOutcome(lifecycle: LifecycleView, t: Translate): string {
  const retired = lifecycle.status === 'retired';
  const name = lifecycle.replacement?.name;
  if (lifecycle.afterShutdown === 'redirect' && name) {
    return t(retired ? 'lifecycle.redirected' : 'lifecycle.redirect', { name });
  }
  return t(retired ? 'lifecycle.refused' : 'lifecycle.retire');
}

function priceRows(model: ModelSpec): PriceRow[] {
  return model.pricing.rules.map((rule) => ({
    qualities: rule.quality,
    tiers: rule.tier,
    sizes: rule.tier
      ? model.sizes.list.filter((s) => rule.tier!.includes(s.tier)).map((s) => s.size)
      : [],
    credits: toCredits(rule.credits),
  }));
}

function defaultFeatures(model: ModelSpec, t: Translate): string[] {
  return [
    ...(model.capabilities.includes('text-to-image') ? [t('default.feature.text')] : []),
    ...(model.capabilities.includes('image-to-image')
      ? [t('default.feature.edit', { count: model.max_input_images })]
      : []),
    ...(model.stream ? [t('default.feature.stream')] : []),
    t('default.feature.formats', { formats: model.output_formats.join(', ') }),
  ];
}

function defaultUseCases(model: ModelSpec, t: Translate): string[] {
  return [
    t('default.useCase.marketing'),
    t('default.useCase.product'),
    ...(model.capabilities.includes('image-to-image') ? [t('default.useCase.edit')] : []),
    t('default.useCase.prototype'),
  ];
}

function defaultFaq(model: ModelSpec, t: Translate, baseUrl: string) {
  const price = formatCredits(t, toCredits(lowestPrice(model.pricing.rules)));
  return [
    { q: t('default.faq.price.q', { name: model.name }), a: t('default.faq.price.a', { price }) },
    {
      q: t('default.faq.sdk.q', { name: model.name }),
      a: t('default.faq.sdk.a', { base: baseUrl, id: model.id }),
    },
    {
      q: t('default.faq.sizes.q', { name: model.name }),
      a: t('default.faq.sizes.a', { sizes: describeSizes(model.sizes) }),
    },
    { q: t('default.faq.failed.q'), a: t('default.faq.failed.a') },
  ];
}

/**
 * The page of one catalog model: the API facts come from the same functions as
 * `GET /v1/models/{id}`, so the page and the API never disagree; the text fields come from the
 * catalog entry's `page` block, or generated defaults.
 */
export function modelView(
  model: ModelSpec,
  catalog: Catalog,
  options: { locale: Locale; t: Translate; baseUrl: string },
): ModelView {
  const { locale, t, baseUrl } = options;
  const detail = publicModelDetail(model, catalog);
  const upgradeTarget = model.page.upgrade_to ? catalog.find(model.page.upgrade_to) : undefined;
  const localized = (texts: ReadonlyArray<Parameters<typeof localize>[0]> | undefined) =>
    texts?.map((text) => localize(text, locale));
  return {
    id: model.id,
    name: model.name,
    description: model.description,
    aliases: model.aliases,
    provider: detail.provider,
    tags: model.page.tags,
    capabilities: model.capabilities,
    fromCredits: detail.pricing.from_credits,
    available: detail.available,
    missingVariable: catalog.missingVariable(model),
    priceRows: priceRows(model),
    endpoints: detail.endpoints.map((path) => `POST ${path}`),
    requiredFields: detail.required_fields,
    returnedFields: ['created', 'data[].url'],
    sizes: detail.docs.sizes,
    qualities: model.qualities,
    formats: model.output_formats,
    maxN: model.max_n,
    stream: model.stream,
    samples: codeSamples(model, baseUrl),
    features: localized(model.page.features) ?? defaultFeatures(model, t),
    useCases: localized(model.page.use_cases) ?? defaultUseCases(model, t),
    faq:
      model.page.faq?.map((entry) => ({
        q: localize(entry.q, locale),
        a: localize(entry.a, locale),
      })) ?? defaultFaq(model, t, baseUrl),
    related: relatedModels(model, catalog.list()),
    upgrade: upgradeTarget ? related(upgradeTarget) : undefined,
    lifecycle: lifecycleView(model, catalog),
  };
}
