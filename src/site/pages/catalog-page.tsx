import { CatalogBrowser, type CatalogBrowserProps } from './catalog-browser.js';
import type { PageContext } from './context.js';
import { Island } from './island.js';
import { Layout } from './layout.js';

export const CATALOG_ISLAND = 'catalog-browser';

export function CatalogPage({ ctx, browser }: { ctx: PageContext; browser: CatalogBrowserProps }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx}>
      <h1 className="text-3xl font-bold tracking-tight">{t('catalog.heading')}</h1>
      <p className="mb-6 mt-2 text-slate-700">
        {t('catalog.lead', { count: browser.cards.length })}
      </p>
      <Island id={CATALOG_ISLAND} props={browser}>
        <CatalogBrowser {...browser} />
      </Island>
    </Layout>
  );
}
