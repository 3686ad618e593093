import { labelOf, translator, type Locale } from '../i18n/locale.js';
import {
  distinct,
  filterCards,
  formatCredits,
  type CardSource,
  type CatalogFilter,
} from '../views/cards.js';
import { href } from './context.js';
import { DataTable } from './data-table.js';
import { Tag } from './layout.js';

export interface CatalogBrowserProps {
  locale: Locale;
  cards: CardSource[];
  filter: CatalogFilter;
}

interface Interactive {
  /** Set once hydrated: receives the form field that changed (the browser reads its value). */
  onFieldChange?: (field: EventTarget) => void;
}

/**
 * The searchable model table. Without JavaScript the form reloads `/models` with the filters
 * in the query; once hydrated, the same filtering runs as the visitor types.
 */
export function CatalogBrowser({
  locale,
  cards,
  filter,
  onFieldChange,
}: CatalogBrowserProps & Interactive) {
  const t = translator(locale);
  const shown = filterCards(cards, filter);
  const providers = distinct(cards.map((c) => c.provider));
  const capabilities = distinct(cards.flatMap((c) => c.capabilities));
  const select = 'mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2';
  return (
    <div>
      <form
        method="get"
        action="/models"
        role="search"
        className="mb-6 grid gap-3 sm:grid-cols-[2fr_1fr_1fr_auto] sm:items-end"
        onChange={onFieldChange && ((event) => onFieldChange(event.target))}
        onSubmit={onFieldChange && ((event) => event.preventDefault())}
      >
        {locale !== 'en' && <input type="hidden" name="lang" value={locale} />}
        <label className="text-sm font-medium text-slate-800">
          {t('catalog.search')}
          <input
            type="search"
            name="q"
            defaultValue={filter.q}
            placeholder={t('catalog.searchPlaceholder')}
            className={select}
          />
        </label>
        <label className="text-sm font-medium text-slate-800">
          {t('catalog.provider')}
          <select name="provider" defaultValue={filter.provider} className={select}>
            <option value="">{t('catalog.all')}</option>
            {providers.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </label>
        <label className="text-sm font-medium text-slate-800">
          {t('catalog.capability')}
          <select name="capability" defaultValue={filter.capability} className={select}>
            <option value="">{t('catalog.all')}</option>
            {capabilities.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </label>
        <button
          type="submit"
          className="rounded-md bg-indigo-700 px-4 py-2 font-medium text-white hover:bg-indigo-800"
        >
          {t('catalog.apply')}
        </button>
      </form>
      <p className="mb-3 text-sm text-slate-600" aria-live="polite">
        {t('catalog.shown', { count: shown.length })}
      </p>
      {shown.length === 0 ? (
        <p className="rounded-md bg-slate-50 p-4">{t('catalog.none')}</p>
      ) : (
        <DataTable
          columns={[
            { label: t('catalog.model'), className: 'px-4 py-3' },
            { label: t('catalog.provider'), className: 'hidden px-4 py-3 sm:table-cell' },
            { label: t('catalog.capabilities'), className: 'hidden px-4 py-3 md:table-cell' },
            { label: t('catalog.price'), className: 'px-4 py-3 text-right' },
          ]}
        >
          {shown.map((card) => (
            <tr key={card.id} data-model={card.id}>
              <td className="px-4 py-3">
                <a
                  href={href({ locale }, `/models/${card.id}`)}
                  className="font-semibold text-indigo-700 underline-offset-2 hover:underline"
                >
                  {card.name}
                </a>
                {card.lifecycle && (
                  <span className="ml-2 inline-block rounded-full bg-amber-50 px-2 py-0.5 text-xs font-medium text-amber-900 ring-1 ring-amber-300">
                    {t(`catalog.status.${card.lifecycle}`)}
                  </span>
                )}
                <div className="font-mono text-xs text-slate-600">{card.id}</div>
              </td>
              <td className="hidden px-4 py-3 sm:table-cell">{card.provider}</td>
              <td className="hidden px-4 py-3 md:table-cell">
                <span className="flex flex-wrap gap-1">
                  {card.capabilities.map((c) => (
                    <Tag key={c}>{labelOf(t, 'capability', c)}</Tag>
                  ))}
                </span>
              </td>
              <td className="whitespace-nowrap px-4 py-3 text-right">
                {t('model.from', { price: formatCredits(t, card.pricing.from_credits) })}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </div>
  );
}
