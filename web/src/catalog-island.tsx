import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { CatalogBrowser, type CatalogBrowserProps } from '../../src/site/pages/catalog-browser.js';
import type { CardSource, CatalogFilter } from '../../src/site/views/cards.js';

const FIELDS = ['q', 'provider', 'capability'] as const;

async function fetchModels(): Promise<CardSource[]> {
  const response = await fetch('/v1/models');
  if (!response.ok) throw new Error(`GET /v1/models answered ${response.status}`);
  return ((await response.json()) as { data: CardSource[] }).data;
}

/** The catalog table, filtering as the visitor types and kept fresh from `GET /v1/models`. */
export function CatalogIsland({ locale, cards, filter: initial }: CatalogBrowserProps) {
  const [filter, setFilter] = useState<CatalogFilter>(initial);
  const models = useQuery({ queryKey: ['models'], queryFn: fetchModels, initialData: cards });
  const onFieldChange = (target: EventTarget) => {
    const field = target as HTMLInputElement | HTMLSelectElement;
    const name = FIELDS.find((f) => f === field.name);
    if (!name) return;
    const next = { ...filter, [name]: field.value };
    setFilter(next);
    const params = new URLSearchParams();
    for (const key of FIELDS) if (next[key]) params.set(key, next[key]);
    if (locale !== 'en') params.set('lang', locale);
    const query = params.toString();
    window.history.replaceState(null, '', query ? `/models?${query}` : '/models');
  };
  return (
    <CatalogBrowser
      locale={locale}
      cards={models.data}
      filter={filter}
      onFieldChange={onFieldChange}
    />
  );
}
