import type { ProviderRegistry } from '../providers/registry.js';
import type { ModelSpec } from './schema.js';

/** The models this server offers, looked up by id or alias, with their availability. */
export class Catalog {
  private readonly byName = new Map<string, ModelSpec>();

  constructor(
    private readonly models: readonly ModelSpec[],
    private readonly providers: ProviderRegistry,
  ) {
    for (const model of models) {
      this.byName.set(model.id, model);
      for (const alias of model.aliases) this.byName.set(alias, model);
    }
  }

  list(): readonly ModelSpec[] {
    return this.models;
  }

  find(idOrAlias: string): ModelSpec | undefined {
    return this.byName.get(idOrAlias);
  }

  /** A model is available when at least one of its routes has a configured provider. */
  isAvailable(model: ModelSpec): boolean {
    return model.routes.some((r) => this.providers.isConfigured(r.provider));
  }

  /** The variable that would enable the model's first route. */
  missingVariable(model: ModelSpec): string {
    return this.providers.requires(model.routes[0]!.provider);
  }
}
