import './styles.css';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { hydrateRoot } from 'react-dom/client';
import { CATALOG_ISLAND } from '../../src/site/pages/catalog-page.js';
import { CatalogIsland } from './catalog-island.js';
import type { CatalogBrowserProps } from '../../src/site/pages/catalog-browser.js';

/** Hydrates the interactive islands the server rendered on this page, if any. */
function hydrateCatalog(): void {
  const root = document.getElementById(CATALOG_ISLAND);
  const data = document.getElementById(`${CATALOG_ISLAND}-props`);
  if (!root || !data?.textContent) return;
  const props = JSON.parse(data.textContent) as CatalogBrowserProps;
  const client = new QueryClient({ defaultOptions: { queries: { staleTime: 60_000 } } });
  hydrateRoot(
    root,
    <QueryClientProvider client={client}>
      <CatalogIsland {...props} />
    </QueryClientProvider>,
  );
}

hydrateCatalog();
