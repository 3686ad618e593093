import { formatCredits, type CardSource } from '../views/cards.js';
import { href, type PageContext } from './context.js';
import { CodeBlock, Layout } from './layout.js';

export function LandingPage({
  ctx,
  featured,
  modelCount,
  quickStart,
}: {
  ctx: PageContext;
  featured: CardSource[];
  modelCount: number;
  quickStart: string;
}) {
  const { t } = ctx;
  const points = [1, 2, 3] as const;
  return (
    <Layout ctx={ctx}>
      <section className="py-6 sm:py-10">
        <h1 className="max-w-3xl text-4xl font-bold tracking-tight sm:text-5xl">
          {t('landing.heading')}
        </h1>
        <p className="mt-4 max-w-2xl text-lg text-slate-700">{t('landing.lead')}</p>
        <div className="mt-6 flex flex-wrap gap-3">
          <a
            href={href(ctx, '/models')}
            className="rounded-md bg-indigo-700 px-5 py-3 font-semibold text-white hover:bg-indigo-800"
          >
            {t('landing.browse', { count: modelCount })}
          </a>
          <a
            href="/docs"
            className="rounded-md px-5 py-3 font-semibold text-indigo-800 ring-1 ring-indigo-300 hover:bg-indigo-50"
          >
            {t('nav.docs')}
          </a>
          <a
            href="/dashboard/sign-up"
            className="rounded-md px-5 py-3 font-semibold text-indigo-800 ring-1 ring-indigo-300 hover:bg-indigo-50"
          >
            {t('landing.signUp')}
          </a>
        </div>
      </section>
      <section className="grid gap-4 sm:grid-cols-3" aria-label={t('site.tagline')}>
        {points.map((n) => (
          <div key={n} className="rounded-lg border border-slate-200 p-4">
            <h2 className="font-semibold">{t(`landing.point${n}.title`)}</h2>
            <p className="mt-1 text-sm text-slate-700">{t(`landing.point${n}.text`)}</p>
          </div>
        ))}
      </section>
      <section className="mt-10">
        <h2 className="text-2xl font-bold">{t('landing.featured')}</h2>
        <ul className="mt-4 grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
          {featured.map((card) => (
            <li key={card.id} className="flex flex-col rounded-lg border border-slate-200 p-4">
              <a
                href={href(ctx, `/models/${card.id}`)}
                className="font-semibold text-indigo-700 hover:underline"
              >
                {card.name}
              </a>
              <span className="font-mono text-xs text-slate-600">{card.id}</span>
              <p className="mt-2 flex-1 text-sm text-slate-700">{card.description}</p>
              <p className="mt-3 text-sm font-medium">
                {t('model.from', { price: formatCredits(t, card.pricing.from_credits) })}
              </p>
            </li>
          ))}
        </ul>
      </section>
      <section className="mt-10" id="quick-start">
        <h2 className="text-2xl font-bold">{t('landing.quickStart')}</h2>
        <p className="mb-4 mt-2 text-slate-700">{t('landing.quickStartLead')}</p>
        <CodeBlock code={quickStart} label={t('landing.quickStart')} />
      </section>
    </Layout>
  );
}
