import type { Config } from '../../config.js';
import type { EnvSpec, EnvValues } from '../../config/env-spec.js';
import type { DeclaredProvider, ImageProvider } from '../types.js';

/** A provider's settings once the variables it requires are known to be set. */
export type ConfiguredSettings<E extends EnvSpec, R extends keyof E> = EnvValues<E> & {
  [K in R]: NonNullable<EnvValues<E>[K]>;
};

export interface ProviderSpec<N extends string, E extends EnvSpec, R extends keyof E & string> {
  /** The name that catalog routes use, and the key of `config.providers`. */
  name: N;
  /** One line: what it is, for `.env.example`. */
  description: string;
  /** The variables it reads; `config.ts` parses and validates them at start. */
  env: E;
  /** The settings an operator must set to enable it (named in 503 errors); none: always on. */
  requires: readonly R[];
  /** It fetches edit inputs from Pixapi's own URLs, so PIXAPI_PUBLIC_URL must reach Pixapi. */
  takesInputsByUrl?: boolean;
  /** Hosts it vouches for (see ProviderDefinition.trustedHosts). */
  trustedHosts?: (settings: ConfiguredSettings<E, R>) => string[];
  create(settings: ConfiguredSettings<E, R>): ImageProvider;
}

/**
 * Turns a provider's declaration into the registry's definition: whether it is configured
 * (every required setting set) and its adapter built from its own settings only.
 *
 * @example
 * export const acmeProvider = defineProvider({
 *   name: 'acme',
 *   description: 'Acme Images',
 *   env: { apiKey: { name: 'ACME_API_KEY', type: 'string', secret: true, description: 'API key' } },
 *   requires: ['apiKey'],
 *   create: ({ apiKey }) => createAcmeProvider(apiKey),
 * });
 */
export function defineProvider<
  const N extends string,
  const E extends EnvSpec,
  const R extends keyof E & string,
>(spec: ProviderSpec<N, E, R>): DeclaredProvider<N, E> {
  function isSet(settings: EnvValues<E>): settings is ConfiguredSettings<E, R> {
    return spec.requires.every((key) => settings[key] !== undefined);
  }
  function settingsOf(config: Config): ConfiguredSettings<E, R> | undefined {
    const all: Readonly<Record<string, unknown>> = config.providers;
    // config.ts built this entry from this same `env` declaration (config/providers.ts).
    const settings = all[spec.name] as EnvValues<E>;
    return isSet(settings) ? settings : undefined;
  }
  const { trustedHosts } = spec;
  const required = spec.requires.map((key) => spec.env[key]?.name).join(' and ');
  return {
    name: spec.name,
    description: spec.description,
    env: spec.env,
    requires: required === '' ? undefined : required,
    ...(spec.takesInputsByUrl ? { takesInputsByUrl: true } : {}),
    ...(trustedHosts
      ? {
          trustedHosts: (config: Config) => {
            const settings = settingsOf(config);
            return settings ? trustedHosts(settings) : [];
          },
        }
      : {}),
    isConfigured: (config) => settingsOf(config) !== undefined,
    create: (config) => {
      const settings = settingsOf(config);
      if (!settings) throw new Error(`The ${spec.name} provider needs ${required}`);
      return spec.create(settings);
    },
  };
}
