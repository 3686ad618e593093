import type { Config } from '../config.js';
import { azureOpenAIProvider } from './azure-openai/index.js';
import { bflProvider } from './bfl/index.js';
import { falProvider } from './fal/index.js';
import { geminiProvider } from './gemini/index.js';
import { localProvider } from './local/index.js';
import { openaiCompatibleProvider } from './openai-compatible/index.js';
import { openaiProvider } from './openai/index.js';
import { replicateProvider } from './replicate/index.js';
import { xaiProvider } from './xai/index.js';
import type { ImageProvider, ProviderDefinition } from './types.js';

/**
 * Every provider Pixapi speaks to. Adding one is one folder and one line here: `config.ts` and
 * `.env.example` follow from the variables its `defineProvider` declares. A folder names its
 * files the same way: `index.ts` (the definition and the adapter), `client.ts` (the HTTP calls
 * to the upstream), `request.ts` and `response.ts` (pure transforms), `errors.ts` (failure
 * classification), `models.ts` (per-model facts), `model-list.ts` (the upstream's model list).
 */
export const providerDefinitions = [
  localProvider,
  openaiProvider,
  openaiCompatibleProvider,
  geminiProvider,
  falProvider,
  replicateProvider,
  bflProvider,
  xaiProvider,
  azureOpenAIProvider,
] as const;

/** The providers of one running server: which are configured, and their adapters. */
export class ProviderRegistry {
  private readonly definitions = new Map<string, ProviderDefinition>();
  private readonly instances = new Map<string, ImageProvider>();

  constructor(
    private readonly config: Config,
    definitions: readonly ProviderDefinition[] = providerDefinitions,
  ) {
    for (const d of definitions) this.definitions.set(d.name, d);
  }

  has(name: string): boolean {
    return this.definitions.has(name);
  }

  names(): string[] {
    return [...this.definitions.keys()];
  }

  isConfigured(name: string): boolean {
    return this.definitions.get(name)?.isConfigured(this.config) ?? false;
  }

  /** The variable that enables the provider, for `provider_not_configured` messages. */
  requires(name: string): string {
    return this.definitions.get(name)?.requires ?? `the ${name} provider`;
  }

  /** Hosts that configured providers vouch for (their operator-set base URLs). */
  trustedHosts(): string[] {
    return [...this.definitions.values()].flatMap((d) =>
      d.isConfigured(this.config) ? (d.trustedHosts?.(this.config) ?? []) : [],
    );
  }

  /** Configured providers that fetch edit inputs from Pixapi's public URL. */
  fetchingByUrl(): string[] {
    return [...this.definitions.values()]
      .filter((d) => d.takesInputsByUrl && d.isConfigured(this.config))
      .map((d) => d.name);
  }

  /** The adapter, created on first use; undefined when the provider is not configured. */
  get(name: string): ImageProvider | undefined {
    const definition = this.definitions.get(name);
    if (!definition || !definition.isConfigured(this.config)) return undefined;
    let instance = this.instances.get(name);
    if (!instance) {
      instance = definition.create(this.config);
      this.instances.set(name, instance);
    }
    return instance;
  }
}
