import type { ReactNode } from 'react';
import { labelOf } from '../i18n/locale.js';
import { formatCredits } from '../views/cards.js';
import { shutdownOutcome, type ModelView } from '../views/model-view.js';
import { href, type PageContext } from './context.js';
import { DataTable } from './data-table.js';
import { CodeBlock, Layout, Tag } from './layout.js';

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section id={id} aria-labelledby={`${id}-title`} className="mt-10">
      <h2 id={`${id}-title`} className="mb-3 text-2xl font-bold">
        {title}
      </h2>
      {children}
    </section>
  );
}

function Fact({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="grid gap-1 border-b border-slate-200 py-2 sm:grid-cols-[14rem_1fr]">
      <dt className="font-medium text-slate-700">{term}</dt>
      <dd className="break-words">{children}</dd>
    </div>
  );
}

const mono = (values: readonly string[]) => (
  <span className="font-mono text-sm">{values.join(', ')}</span>
);

function Pricing({ ctx, view }: { ctx: PageContext; view: ModelView }) {
  const { t } = ctx;
  return (
    <Section id="pricing" title={t('model.pricing')}>
      <p className="mb-4 text-slate-700">{t('model.pricingLead')}</p>
      <DataTable
        columns={[
          { label: t('model.quality'), className: 'px-4 py-2' },
          { label: t('model.tier'), className: 'px-4 py-2' },
          { label: t('model.creditsPerImage'), className: 'px-4 py-2 text-right' },
        ]}
      >
        {view.priceRows.map((row, i) => (
          <tr key={i}>
            <td className="px-4 py-2">{row.qualities?.join(', ') ?? t('model.anyQuality')}</td>
            <td className="px-4 py-2">
              {row.tiers?.join(', ') ?? t('model.anyTier')}
              {row.sizes.length > 0 && (
                <span className="block font-mono text-xs text-slate-600">
                  {row.sizes.join(', ')}
                </span>
              )}
            </td>
            <td className="px-4 py-2 text-right font-semibold">{row.credits}</td>
          </tr>
        ))}
      </DataTable>
    </Section>
  );
}

function Facts({ ctx, view }: { ctx: PageContext; view: ModelView }) {
  const { t } = ctx;
  return (
    <Section id="api-facts" title={t('model.facts')}>
      <dl>
        <Fact term={t('model.fact.id')}>
          <code>{view.id}</code>
        </Fact>
        {view.aliases.length > 0 && (
          <Fact term={t('model.fact.aliases')}>{mono(view.aliases)}</Fact>
        )}
        <Fact term={t('model.fact.provider')}>{view.provider}</Fact>
        <Fact term={t('model.fact.capabilities')}>{view.capabilities.join(', ')}</Fact>
        <Fact term={t('model.fact.endpoints')}>
          <ul>
            {view.endpoints.map((e) => (
              <li key={e}>
                <code>{e}</code>
              </li>
            ))}
          </ul>
        </Fact>
        <Fact term={t('model.fact.required')}>{mono(view.requiredFields)}</Fact>
        <Fact term={t('model.fact.returned')}>{mono(view.returnedFields)}</Fact>
        <Fact term={t('model.fact.startingCost')}>
          {t('model.from', { price: formatCredits(t, view.fromCredits) })}
        </Fact>
        <Fact term={t('model.fact.sizes')}>
          <span className="font-mono text-sm">{view.sizes}</span>
        </Fact>
        <Fact term={t('model.fact.qualities')}>{mono(view.qualities)}</Fact>
        <Fact term={t('model.fact.formats')}>{mono(view.formats)}</Fact>
        <Fact term={t('model.fact.maxN')}>{view.maxN}</Fact>
        <Fact term={t('model.fact.stream')}>{view.stream ? t('model.yes') : t('model.no')}</Fact>
      </dl>
    </Section>
  );
}

/** The deprecation banner: dates, what happens after shutdown, and the way out. */
function LifecycleBanner({ ctx, view }: { ctx: PageContext; view: ModelView }) {
  const { t } = ctx;
  const lifecycle = view.lifecycle;
  if (!lifecycle) return null;
  const replacement = lifecycle.replacement;
  return (
    <div
      role="alert"
      data-testid="lifecycle"
      className="mt-4 rounded-md bg-red-50 p-4 text-red-900 ring-1 ring-red-200"
    >
      <p className="font-semibold">
        {t(lifecycle.status === 'retired' ? 'lifecycle.retired' : 'lifecycle.deprecated')}
      </p>
      <p className="mt-1">
        {lifecycle.deprecatedAt && t('lifecycle.deprecatedAt', { date: lifecycle.deprecatedAt })}{' '}
        {lifecycle.shutdownDate && t('lifecycle.shutdown', { date: lifecycle.shutdownDate })}{' '}
        {shutdownOutcome(lifecycle, t)}
      </p>
      <p className="mt-2 flex flex-wrap gap-4">
        {replacement && (
          <a href={href(ctx, `/models/${replacement.id}`)} className="font-semibold underline">
            {t('lifecycle.move', { name: replacement.name })}
          </a>
        )}
        {lifecycle.source && (
          <a href={lifecycle.source} className="underline" rel="nofollow noopener">
            {t('lifecycle.source')}
          </a>
        )}
      </p>
    </div>
  );
}

function Header({ ctx, view }: { ctx: PageContext; view: ModelView }) {
  const { t } = ctx;
  return (
    <header>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm">
        <a href={href(ctx, '/models')} className="text-indigo-700 underline">
          {t('model.breadcrumb')}
        </a>{' '}
        / <span className="font-mono">{view.id}</span>
      </nav>
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="text-3xl font-bold tracking-tight sm:text-4xl">{view.name}</h1>
          <p className="mt-1 text-slate-700">
            <code className="font-mono">{view.id}</code> ·{' '}
            {t('model.by', { provider: view.provider })}
          </p>
          <p className="mt-3 flex flex-wrap gap-1">
            {view.capabilities.map((c) => (
              <Tag key={c}>{labelOf(t, 'capability', c)}</Tag>
            ))}
            {view.tags.map((tag) => (
              <Tag key={tag}>{labelOf(t, 'tag', tag)}</Tag>
            ))}
          </p>
        </div>
        <div className="rounded-lg border border-slate-200 p-4 text-right">
          <p className="text-xl font-bold" data-testid="starting-price">
            {t('model.from', { price: formatCredits(t, view.fromCredits) })}
          </p>
          <a
            href={`${href(ctx, '/')}#quick-start`}
            className="mt-2 inline-block rounded-md bg-indigo-700 px-4 py-2 font-semibold text-white hover:bg-indigo-800"
          >
            {t('model.cta')}
          </a>
        </div>
      </div>
      <LifecycleBanner ctx={ctx} view={view} />
      <p className="mt-4 max-w-3xl text-lg text-slate-800">{view.description}</p>
      {view.available ? (
        <p className="mt-3 text-sm font-medium text-emerald-800">{t('model.available')}</p>
      ) : (
        <p
          role="status"
          className="mt-3 rounded-md bg-amber-50 p-3 text-amber-900 ring-1 ring-amber-200"
        >
          {t('model.unavailable', { variable: view.missingVariable })}
        </p>
      )}
      {view.upgrade && (
        <p className="mt-3 rounded-md bg-sky-50 p-3 text-sky-900 ring-1 ring-sky-200">
          {t('model.upgrade', { name: view.upgrade.name })}{' '}
          <a href={href(ctx, `/models/${view.upgrade.id}`)} className="font-semibold underline">
            {t('model.upgradeLink', { name: view.upgrade.name })}
          </a>
        </p>
      )}
    </header>
  );
}

export function ModelPage({ ctx, view }: { ctx: PageContext; view: ModelView }) {
  const { t } = ctx;
  const list = (items: string[]) => (
    <ul className="list-disc space-y-1 pl-6">
      {items.map((item) => (
        <li key={item}>{item}</li>
      ))}
    </ul>
  );
  return (
    <Layout ctx={ctx}>
      <article>
        <Header ctx={ctx} view={view} />
        <Pricing ctx={ctx} view={view} />
        <Facts ctx={ctx} view={view} />
        <Section id="quick-start" title={t('model.quickStart')}>
          <p className="mb-4 text-slate-700">{t('model.quickStartLead')}</p>
          {view.samples.map((sample) => (
            <div key={sample.kind} className="mb-5" data-sample={sample.kind}>
              <h3 className="mb-2 font-semibold">{t(`model.sample.${sample.kind}`)}</h3>
              <CodeBlock code={sample.code} label={t(`model.sample.${sample.kind}`)} />
            </div>
          ))}
        </Section>
        <Section id="features" title={t('model.features')}>
          {list(view.features)}
        </Section>
        <Section id="use-cases" title={t('model.useCases')}>
          {list(view.useCases)}
        </Section>
        <Section id="faq" title={t('model.faq')}>
          {view.faq.map((entry) => (
            <div key={entry.q} className="mb-4">
              <h3 className="font-semibold">{entry.q}</h3>
              <p className="text-slate-700">{entry.a}</p>
            </div>
          ))}
        </Section>
        {view.related.length > 0 && (
          <Section id="related" title={t('model.related')}>
            <ul className="grid gap-3 sm:grid-cols-2">
              {view.related.map((r) => (
                <li key={r.id} className="rounded-lg border border-slate-200 p-3">
                  <a
                    href={href(ctx, `/models/${r.id}`)}
                    className="font-semibold text-indigo-700 hover:underline"
                  >
                    {r.name}
                  </a>
                  <span className="block text-sm text-slate-700">
                    {t('model.from', { price: formatCredits(t, r.fromCredits) })}
                  </span>
                </li>
              ))}
            </ul>
          </Section>
        )}
        <p className="mt-10 text-sm">
          <a href={`/models/${view.id}.md`} className="text-indigo-700 underline">
            {t('model.markdown')}
          </a>
        </p>
      </article>
    </Layout>
  );
}
