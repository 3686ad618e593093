import type { ReactElement } from 'react';
import { renderToString } from 'react-dom/server';
import type { WebAssets } from './assets.js';
import { LOCALES, type Locale } from './i18n/locale.js';

export interface PageHead {
  locale: Locale;
  title: string;
  description: string;
  /** The page's path without query; canonical and alternate URLs derive from it. */
  path: string;
  baseUrl: string;
  siteName: string;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The canonical URL of a page in one language: English unprefixed, others with `?lang=`. */
export function pageUrl(baseUrl: string, path: string, locale: Locale): string {
  return `${baseUrl}${path}${locale === 'en' ? '' : `?lang=${locale}`}`;
}

function headTags(head: PageHead, assets: WebAssets | undefined): string {
  const canonical = pageUrl(head.baseUrl, head.path, head.locale);
  const meta = (attr: string, name: string, content: string) =>
    `<meta ${attr}="${name}" content="${escapeHtml(content)}">`;
  return [
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(head.title)}</title>`,
    meta('name', 'description', head.description),
    `<link rel="canonical" href="${escapeHtml(canonical)}">`,
    ...LOCALES.map(
      (l) =>
        `<link rel="alternate" hreflang="${l}" href="${escapeHtml(pageUrl(head.baseUrl, head.path, l))}">`,
    ),
    `<link rel="alternate" hreflang="x-default" href="${escapeHtml(pageUrl(head.baseUrl, head.path, 'en'))}">`,
    meta('property', 'og:type', 'website'),
    meta('property', 'og:site_name', head.siteName),
    meta('property', 'og:title', head.title),
    meta('property', 'og:description', head.description),
    meta('property', 'og:url', canonical),
    meta('property', 'og:locale', head.locale === 'es' ? 'es_ES' : 'en_US'),
    meta('name', 'twitter:card', 'summary'),
    '<link rel="icon" href="data:,">',
    ...(assets?.styles ?? []).map((href) => `<link rel="stylesheet" href="${href}">`),
    ...(assets?.scripts ?? []).map((src) => `<script type="module" src="${src}"></script>`),
  ].join('\n');
}

/** A complete HTML document: the head tags and the server-rendered React body. */
export function renderDocument(
  head: PageHead,
  body: ReactElement,
  assets: WebAssets | undefined,
): string {
  return `<!doctype html>\n<html lang="${head.locale}">\n<head>\n${headTags(head, assets)}\n</head>\n<body>\n${renderToString(body)}\n</body>\n</html>\n`;
}
