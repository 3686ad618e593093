import type { ReactNode } from 'react';
import { LOCALES } from '../i18n/locale.js';
import { href, type PageContext } from './context.js';

const LANGUAGE_NAMES = { en: 'English', es: 'Español' } as const;

function LanguageSwitch({ ctx }: { ctx: PageContext }) {
  return (
    <nav aria-label={ctx.t('nav.language')} className="flex gap-1 text-sm">
      {LOCALES.map((locale) => (
        <a
          key={locale}
          href={`${ctx.path}?lang=${locale}`}
          hrefLang={locale}
          lang={locale}
          aria-current={locale === ctx.locale ? 'true' : undefined}
          className={
            locale === ctx.locale
              ? 'rounded px-2 py-1 font-semibold text-slate-900 bg-slate-200'
              : 'rounded px-2 py-1 text-slate-700 hover:bg-slate-100'
          }
        >
          {LANGUAGE_NAMES[locale]}
        </a>
      ))}
    </nav>
  );
}

/** The frame of every public page: header with navigation, main content, footer. */
export function Layout({ ctx, children }: { ctx: PageContext; children: ReactNode }) {
  const { t } = ctx;
  return (
    <div className="flex min-h-screen flex-col bg-white text-slate-900">
      <a
        href="#content"
        className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:rounded focus:bg-white focus:p-2"
      >
        {t('nav.skip')}
      </a>
      <header className="border-b border-slate-200">
        <div className="mx-auto flex max-w-5xl flex-wrap items-center justify-between gap-3 px-4 py-3">
          <a href={href(ctx, '/')} className="flex items-center gap-2 text-lg font-bold">
            <span
              aria-hidden="true"
              className="inline-block h-6 w-6 rounded bg-gradient-to-br from-indigo-500 to-fuchsia-500"
            />
            {t('site.name')}
          </a>
          <nav aria-label="Main" className="flex items-center gap-4 text-sm font-medium">
            <a href={href(ctx, '/models')} className="text-slate-700 hover:text-indigo-700">
              {t('nav.models')}
            </a>
            <a href="/docs" className="text-slate-700 hover:text-indigo-700">
              {t('nav.docs')}
            </a>
            <a
              href={`${href(ctx, '/')}#quick-start`}
              className="text-slate-700 hover:text-indigo-700"
            >
              {t('nav.quickStart')}
            </a>
            <a href="/dashboard/sign-in" className="text-slate-700 hover:text-indigo-700">
              {t('nav.signIn')}
            </a>
            <a
              href="/dashboard"
              className="rounded-md bg-indigo-600 px-3 py-1.5 text-white hover:bg-indigo-700"
            >
              {t('nav.dashboard')}
            </a>
          </nav>
          <LanguageSwitch ctx={ctx} />
        </div>
      </header>
      <main id="content" className="mx-auto w-full max-w-5xl flex-1 px-4 py-8">
        {children}
      </main>
      <footer className="border-t border-slate-200 text-sm text-slate-600">
        <div className="mx-auto flex max-w-5xl flex-wrap justify-between gap-2 px-4 py-6">
          <p>{t('footer.text')}</p>
          <a href="/llms.txt" className="text-indigo-700 underline">
            {t('footer.llms')}
          </a>
        </div>
      </footer>
    </div>
  );
}

export function Tag({ children }: { children: ReactNode }) {
  return (
    <span className="inline-block rounded-full bg-indigo-50 px-2 py-0.5 text-xs font-medium text-indigo-800 ring-1 ring-indigo-200">
      {children}
    </span>
  );
}

export function CodeBlock({ code, label }: { code: string; label: string }) {
  return (
    <pre
      tabIndex={0}
      aria-label={label}
      className="overflow-x-auto rounded-lg bg-slate-900 p-4 text-sm leading-relaxed text-slate-100"
    >
      <code>{code}</code>
    </pre>
  );
}
