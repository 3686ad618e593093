import type { LocalizedText } from '../../catalog/schema.js';
import { en, type MessageKey, type Messages } from './en.js';
import { es } from './es.js';

export const LOCALES = ['en', 'es'] as const;
export type Locale = (typeof LOCALES)[number];

const MESSAGES: Record<Locale, Messages> = { en, es };

function isLocale(value: string): value is Locale {
  return (LOCALES as readonly string[]).includes(value);
}

/**
 * The page language: `?lang=` when it names a supported language, else the best of
 * `Accept-Language` by its q-values, else English.
 *
 * @example pickLocale(undefined, 'es-ES,es;q=0.9,en;q=0.8') // 'es'
 */
export function pickLocale(query: unknown, acceptLanguage: string | undefined): Locale {
  if (typeof query === 'string' && isLocale(query)) return query;
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find(Boolean);
      return { lang: tag.toLowerCase().split('-')[0] ?? '', q: q ? Number(q) : 1, index };
    })
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return ranked.map((entry) => entry.lang).find(isLocale) ?? 'en';
}

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

/** The message of `key` in `locale` with its `{placeholders}` filled. */
export function translator(locale: Locale): Translate {
  const messages = MESSAGES[locale];
  return (key, vars = {}) =>
    messages[key].replace(/\{(\w+)\}/g, (whole, name: string) =>
      name in vars ? String(vars[name]) : whole,
    );
}

/** A catalog text in the page language, English when the catalog has no translation. */
export function localize(text: LocalizedText, locale: Locale): string {
  if (typeof text === 'string') return text;
  return text[locale] ?? text.en;
}

/** A label for a catalog value (a capability, a tag): its message when there is one. */
export function labelOf(t: Translate, prefix: 'capability' | 'tag', value: string): string {
  const key = `${prefix}.${value}`;
  return key in en ? t(key as MessageKey) : value;
}
