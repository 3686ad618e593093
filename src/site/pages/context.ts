import type { Locale, Translate } from '../i18n/locale.js';

/** What every page component needs to know about the request it answers. */
export interface PageContext {
  locale: Locale;
  t: Translate;
  /** The page's path without query, for canonical URLs and the language switch. */
  path: string;
  /** The public base URL of this server, without trailing slash. */
  baseUrl: string;
}

/** A link to a page of the site in the current language (English is the unprefixed default). */
export function href(ctx: Pick<PageContext, 'locale'>, path: string): string {
  return ctx.locale === 'en' ? path : `${path}?lang=${ctx.locale}`;
}
