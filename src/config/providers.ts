import { providerDefinitions } from '../providers/registry.js';
import { shapeOf, valuesOf, type EnvValues } from './env-spec.js';

/**
 * The provider part of the configuration, derived from what each provider declares in its
 * folder (`defineProvider({ env })`): `config.providers[name]` holds its parsed settings.
 */

type Declared = (typeof providerDefinitions)[number];

export type ProviderConfigs = { [D in Declared as D['name']]: EnvValues<D['env']> };

/** The parsers of every provider variable, keyed by variable name. */
export const providerEnvShape = shapeOf(providerDefinitions.map((d) => d.env));

export function providerConfigs(parsed: Readonly<Record<string, unknown>>): ProviderConfigs {
  // One entry per declaration, each built from that declaration's own spec.
  return Object.fromEntries(
    providerDefinitions.map((d) => [d.name, valuesOf(d.env, parsed)]),
  ) as ProviderConfigs;
}
