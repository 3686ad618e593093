import { createElement, type ReactElement } from 'react';
import type { Catalog } from '../catalog/catalog.js';
import { publicModel } from '../billing/public-model.js';
import type { ModelSpec } from '../catalog/schema.js';
import { llmsTxt, robotsTxt, sitemapXml } from './agents.js';
import type { WebAssets } from './assets.js';
import { renderDocument } from './document.js';
import { translator, type Locale } from './i18n/locale.js';
import { CatalogPage } from './pages/catalog-page.js';
import type { PageContext } from './pages/context.js';
import { modelMarkdown } from './markdown.js';
import { LandingPage } from './pages/landing-page.js';
import { ModelPage } from './pages/model-page.js';
import { NotFoundPage } from './pages/not-found-page.js';
import { formatCredits, readFilter, type CardSource } from './views/cards.js';
import { modelView } from './views/model-view.js';

export interface SiteOptions {
  catalog: Catalog;
  assets: WebAssets | undefined;
  /** The public base URL, known only once the server listens on its port. */
  baseUrl: () => string;
}

const FEATURED = 6;

/** The public pages, rendered on the server from the catalog. */
export class Site {
  constructor(private readonly options: SiteOptions) {}

  private context(locale: Locale, path: string): PageContext {
    return { locale, t: translator(locale), path, baseUrl: this.options.baseUrl() };
  }

  private page(ctx: PageContext, title: string, description: string, body: ReactElement) {
    return renderDocument(
      { ...ctx, title, description, siteName: ctx.t('site.name') },
      body,
      this.options.assets,
    );
  }

  cards(): CardSource[] {
    const { catalog } = this.options;
    return catalog.list().map((model) => {
      const m = publicModel(model, catalog);
      return {
        id: m.id,
        name: m.name,
        description: m.description,
        provider: m.provider,
        capabilities: m.capabilities,
        pricing: { from_credits: m.pricing.from_credits },
        available: m.available,
        lifecycle:
          m.status === 'active'
            ? null
            : m.status === 'retired' && m.served_by
              ? 'redirected'
              : m.status,
      };
    });
  }

  landing(locale: Locale): string {
    const ctx = this.context(locale, '/');
    const cards = this.cards();
    const featured = [...cards.filter((c) => c.available), ...cards.filter((c) => !c.available)];
    return this.page(
      ctx,
      ctx.t('landing.title'),
      ctx.t('landing.description'),
      createElement(LandingPage, {
        ctx,
        featured: featured.slice(0, FEATURED),
        modelCount: cards.length,
        quickStart: quickStart(ctx.baseUrl),
      }),
    );
  }

  catalogPage(locale: Locale, query: Record<string, unknown>): string {
    const ctx = this.context(locale, '/models');
    const cards = this.cards();
    return this.page(
      ctx,
      ctx.t('catalog.title'),
      ctx.t('catalog.description'),
      createElement(CatalogPage, {
        ctx,
        browser: { locale, cards, filter: readFilter(query, cards) },
      }),
    );
  }

  modelPage(model: ModelSpec, locale: Locale): string {
    const ctx = this.context(locale, `/models/${model.id}`);
    const view = modelView(model, this.options.catalog, ctx);
    const price = formatCredits(ctx.t, view.fromCredits);
    return this.page(
      ctx,
      ctx.t('model.title', { name: view.name }),
      ctx.t('model.description', { name: view.name, id: view.id, price, text: view.description }),
      createElement(ModelPage, { ctx, view }),
    );
  }

  modelMarkdown(model: ModelSpec, locale: Locale): string {
    const ctx = this.context(locale, `/models/${model.id}.md`);
    return modelMarkdown(modelView(model, this.options.catalog, ctx), ctx.t);
  }

  llms(): string {
    return llmsTxt(this.options.baseUrl(), this.cards());
  }

  sitemap(): string {
    return sitemapXml(this.options.baseUrl(), this.cards());
  }

  robots(): string {
    return robotsTxt(this.options.baseUrl());
  }

  notFound(locale: Locale, path: string): string {
    const ctx = this.context(locale, path);
    return this.page(ctx, '404', ctx.t('notFound.text'), createElement(NotFoundPage, { ctx }));
  }
}

/** The landing page's first steps, the same as the README's. */
function quickStart(baseUrl: string): string {
  return [
    'npm ci && npm start',
    '# prints: Admin API key: sk_pix_...',
    'export PIXAPI_KEY=sk_pix_...',
    '',
    `curl ${baseUrl}/v1/images/generations \\`,
    '  -H "Authorization: Bearer $PIXAPI_KEY" \\',
    '  -H "Content-Type: application/json" \\',
    `  -d '{"model": "local-placeholder", "prompt": "A lighthouse at dawn"}'`,
  ].join('\n');
}
