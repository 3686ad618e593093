import type { z } from 'zod';
import { boolean, httpUrl, integer, optionalString, trimSlash } from './parsers.js';

/**
 * Environment variables declared as data, so that the code that uses them (a provider's folder)
 * says what it reads, and `config.ts` and `.env.example` are derived from the declarations.
 *
 * @example
 * const env = {
 *   apiKey: { name: 'ACME_API_KEY', type: 'string', secret: true, description: 'API key' },
 *   baseUrl: { name: 'ACME_BASE_URL', type: 'url', default: 'https://api.acme.test', description: 'API base' },
 * } satisfies EnvSpec;
 * // EnvValues<typeof env> is { apiKey: string | undefined; baseUrl: string }
 */

interface EnvVarBase {
  /** The variable's name, e.g. `FAL_KEY`. */
  name: string;
  /** One line for `.env.example` and the operator. */
  description: string;
  /** A credential: `.env.example` marks it "(secret)" (its value is never a default). */
  secret?: boolean;
}

export type EnvVar =
  | (EnvVarBase & { type: 'string'; default?: string })
  /** An http(s) URL, trailing slashes trimmed. */
  | (EnvVarBase & { type: 'url'; default?: string })
  | (EnvVarBase & { type: 'int'; default: number; min: number; max: number })
  | (EnvVarBase & { type: 'bool'; default: boolean });

/** The variables of one part of the configuration, by the setting each one fills. */
export type EnvSpec = Readonly<Record<string, EnvVar>>;

type ValueOf<V extends EnvVar> = V extends { type: 'int' }
  ? number
  : V extends { type: 'bool' }
    ? boolean
    : V extends { default: string }
      ? string
      : string | undefined;

/** The settings a spec yields: unset strings and URLs without a default are undefined. */
export type EnvValues<S extends EnvSpec> = { -readonly [K in keyof S]: ValueOf<S[K]> };

/** One variable's parser; failures name the variable, as the rest of the configuration does. */
export function parserOf(v: EnvVar): z.ZodType<string | number | boolean | undefined> {
  switch (v.type) {
    case 'string':
      return optionalString.transform((s) => s ?? v.default);
    case 'url':
      return httpUrl.transform((s) => {
        const value = s ?? v.default;
        return value === undefined ? undefined : trimSlash(value);
      });
    case 'int':
      return integer(v.default, v.min, v.max);
    case 'bool':
      return boolean(v.default);
  }
}

/** The zod shape of some specs, keyed by variable name (for one `z.object` of all variables). */
export function shapeOf(specs: readonly EnvSpec[]): Record<string, ReturnType<typeof parserOf>> {
  return Object.fromEntries(
    specs.flatMap((spec) => Object.values(spec).map((v) => [v.name, parserOf(v)])),
  );
}

/** The settings of one spec, read from the parsed variables. */
export function valuesOf<S extends EnvSpec>(
  spec: S,
  parsed: Readonly<Record<string, unknown>>,
): EnvValues<S> {
  // The shape built by shapeOf(spec) produced `parsed`, so each value has its declared type.
  return Object.fromEntries(
    Object.entries(spec).map(([key, v]) => [key, parsed[v.name]]),
  ) as EnvValues<S>;
}

/** The default as `.env.example` writes it ('' when there is none). */
export function exampleValue(v: EnvVar): string {
  return v.default === undefined ? '' : String(v.default);
}
